/*
 * reporter/resolver.c without the network: the reverse-DNS cache (TTL clamped
 * to its floor and ceiling, negative and failure lifetimes, bounded with the
 * soonest-to-expire leaving first, pending entries never evicted), PTR query
 * names, and the reading of untrusted answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "reporter/resolver.h"
#include "sched.h"

#define S(x) ((uint64_t)(x) * NSEC_PER_SEC)

static void test_cache_ttl_clamp_negative(void **state)
{
	(void)state;
	struct rdns_cache c;
	const uint8_t a[4] = { 198, 18, 0, 7 }, b[4] = { 198, 18, 0, 8 }, d[4] = { 198, 18, 0, 9 };
	assert_int_equal(rdns_cache_init(&c, 8), 0);
	assert_true(rdns_cache_due(&c, 4, a, 0));
	assert_true(rdns_cache_put(&c, 4, a, RDNS_PENDING, NULL, 0, S(1)));
	assert_false(rdns_cache_due(&c, 4, a, S(100000)));      /* pending: never due */
	/* TTL 5 s is raised to the floor */
	assert_true(rdns_cache_put(&c, 4, a, RDNS_NAME, "alpha.example", 5, S(10)));
	const struct rdns_entry *e = rdns_cache_find(&c, 4, a);
	assert_non_null(e);
	assert_string_equal(e->name, "alpha.example");
	assert_false(rdns_cache_due(&c, 4, a, S(10 + RDNS_TTL_MIN_S) - 1));
	assert_true(rdns_cache_due(&c, 4, a, S(10 + RDNS_TTL_MIN_S)));
	/* a week is cut to the ceiling */
	assert_true(rdns_cache_put(&c, 4, b, RDNS_NAME, "beta.example", 604800, S(10)));
	assert_true(rdns_cache_due(&c, 4, b, S(10 + RDNS_TTL_MAX_S)));
	assert_false(rdns_cache_due(&c, 4, b, S(10 + RDNS_TTL_MAX_S) - 1));
	/* in between: the record's own TTL */
	assert_true(rdns_cache_put(&c, 4, b, RDNS_NAME, "beta.example", 3600, S(10)));
	assert_true(rdns_cache_due(&c, 4, b, S(10 + 3600)));
	assert_false(rdns_cache_due(&c, 4, b, S(10 + 3599)));
	/* negative and failed answers have their own lifetimes, no name */
	assert_true(rdns_cache_put(&c, 4, d, RDNS_NONE, "ignored", 99999, S(10)));
	e = rdns_cache_find(&c, 4, d);
	assert_int_equal(e->state, RDNS_NONE);
	assert_string_equal(e->name, "");
	assert_true(rdns_cache_due(&c, 4, d, S(10 + RDNS_NEG_TTL_S)));
	assert_false(rdns_cache_due(&c, 4, d, S(10 + RDNS_NEG_TTL_S) - 1));
	assert_true(rdns_cache_put(&c, 4, d, RDNS_FAILED, NULL, 0, S(10)));
	assert_true(rdns_cache_due(&c, 4, d, S(10 + RDNS_FAIL_TTL_S)));
	/* IPv4 and IPv6 keys do not mix */
	uint8_t v6[16] = { 198, 18, 0, 7 };
	assert_null(rdns_cache_find(&c, 6, v6));
	rdns_cache_free(&c);
}

static void test_cache_bounded(void **state)
{
	(void)state;
	struct rdns_cache c;
	assert_int_equal(rdns_cache_init(&c, 4), 0);
	uint8_t a[4] = { 198, 18, 0, 0 };
	/* .1 pending, .2 .. .4 answered with growing TTLs */
	a[3] = 1;
	assert_true(rdns_cache_put(&c, 4, a, RDNS_PENDING, NULL, 0, 0));
	for (uint8_t k = 2; k <= 4; k++) {
		a[3] = k;
		assert_true(rdns_cache_put(&c, 4, a, RDNS_NAME, "n.example", 1000u * k, 0));
	}
	a[3] = 9;
	assert_true(rdns_cache_put(&c, 4, a, RDNS_NAME, "new.example", 5000, 0));
	assert_int_equal(c.n, 4);
	assert_int_equal(c.evictions, 1);
	a[3] = 2;                                       /* expired first: gone */
	assert_null(rdns_cache_find(&c, 4, a));
	a[3] = 1;                                       /* pending: kept */
	assert_non_null(rdns_cache_find(&c, 4, a));
	/* a cache of pending lookups only takes nothing more */
	struct rdns_cache p;
	assert_int_equal(rdns_cache_init(&p, 2), 0);
	for (uint8_t k = 1; k <= 2; k++) {
		a[3] = k;
		assert_true(rdns_cache_put(&p, 4, a, RDNS_PENDING, NULL, 0, 0));
	}
	a[3] = 3;
	assert_false(rdns_cache_put(&p, 4, a, RDNS_PENDING, NULL, 0, 0));
	/* many keys in scrambled order stay sorted and findable */
	struct rdns_cache m;
	assert_int_equal(rdns_cache_init(&m, 300), 0);
	for (unsigned i = 0; i < 250; i++) {
		a[3] = (uint8_t)((i * 97) % 251);
		assert_true(rdns_cache_put(&m, 4, a, RDNS_NONE, NULL, 0, 0));
	}
	for (unsigned i = 0; i < 250; i++) {
		a[3] = (uint8_t)((i * 97) % 251);
		assert_non_null(rdns_cache_find(&m, 4, a));
	}
	rdns_cache_free(&m);
	rdns_cache_free(&p);
	rdns_cache_free(&c);
}

static void test_query_names(void **state)
{
	(void)state;
	char q[80];
	assert_true(rdns_query_name(4, (const uint8_t[]){ 198, 18, 0, 7 }, q, sizeof(q)));
	assert_string_equal(q, "7.0.18.198.in-addr.arpa");
	uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x1f };
	assert_true(rdns_query_name(6, v6, q, sizeof(q)));
	assert_string_equal(q, "f.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
	assert_false(rdns_query_name(6, v6, q, 40));
	assert_false(rdns_query_name(4, (const uint8_t[]){ 198, 18, 0, 7 }, q, 10));
}

/* A response to 7.0.18.198.in-addr.arpa PTR with `rcode` and, when rdata
 * is given, one answer record (TTL 3600) pointing back to the question. */
static size_t answer(uint8_t *b, unsigned rcode, const void *rdata, size_t rdlen)
{
	static const uint8_t qn[] = "\x01" "7" "\x01" "0" "\x02" "18" "\x03" "198"
				    "\x07" "in-addr" "\x04" "arpa";
	size_t n = 0;
	memcpy(b, "\x12\x34", 2); n = 2;
	b[n++] = 0x81; b[n++] = (uint8_t)(0x80 | rcode);
	memcpy(b + n, "\x00\x01\x00", 3); n += 3;
	b[n++] = rdata ? 1 : 0;
	memcpy(b + n, "\x00\x00\x00\x00", 4); n += 4;
	memcpy(b + n, qn, sizeof(qn)); n += sizeof(qn);         /* with the root's 0 */
	memcpy(b + n, "\x00\x0c\x00\x01", 4); n += 4;
	if (rdata) {
		memcpy(b + n, "\xc0\x0c\x00\x0c\x00\x01\x00\x00\x0e\x10", 10); n += 10;
		b[n++] = (uint8_t)(rdlen >> 8); b[n++] = (uint8_t)rdlen;
		memcpy(b + n, rdata, rdlen); n += rdlen;
	}
	return n;
}

static void test_parse_answers(void **state)
{
	(void)state;
	uint8_t b[600];
	char name[NAME_TEXT_MAX + 1];
	uint32_t ttl;
	size_t n = answer(b, 0, "\x05" "alpha" "\x03" "lan" "\x07" "example" "\x00", 19);
	assert_int_equal(rdns_parse_answer(b, n, name, sizeof(name), &ttl), RDNS_NAME);
	assert_string_equal(name, "alpha.lan.example");
	assert_int_equal(ttl, 3600);
	/* a pointer into the question is followed */
	n = answer(b, 0, "\x04" "host" "\xc0\x0c", 7);
	assert_int_equal(rdns_parse_answer(b, n, name, sizeof(name), &ttl), RDNS_NAME);
	assert_string_equal(name, "host.7.0.18.198.in-addr.arpa");
	/* every truncation: never a name read past the end */
	size_t full = answer(b, 0, "\x05" "alpha" "\x00", 7);
	for (size_t cut = 0; cut < full; cut++)
		assert_int_not_equal(rdns_parse_answer(b, cut, name, sizeof(name), &ttl), RDNS_NAME);
	/* NXDOMAIN, an empty answer: negative; SERVFAIL, a query: failed */
	n = answer(b, 3, NULL, 0);
	assert_int_equal(rdns_parse_answer(b, n, name, sizeof(name), &ttl), RDNS_NONE);
	n = answer(b, 0, NULL, 0);
	assert_int_equal(rdns_parse_answer(b, n, name, sizeof(name), &ttl), RDNS_NONE);
	n = answer(b, 2, NULL, 0);
	assert_int_equal(rdns_parse_answer(b, n, name, sizeof(name), &ttl), RDNS_FAILED);
	n = answer(b, 0, "\x05" "alpha" "\x00", 7);
	b[2] &= 0x7f;                                           /* QR clear */
	assert_int_equal(rdns_parse_answer(b, n, name, sizeof(name), &ttl), RDNS_FAILED);
	/* hostile targets are not names: a control character, a dot inside a
	 * label, a compression loop, a pointer forwards, rdlength lying */
	n = answer(b, 0, "\x05" "al\x1bha" "\x00", 7);
	assert_int_equal(rdns_parse_answer(b, n, name, sizeof(name), &ttl), RDNS_NONE);
	assert_string_equal(name, "");
	n = answer(b, 0, "\x05" "al.ha" "\x00", 7);
	assert_int_equal(rdns_parse_answer(b, n, name, sizeof(name), &ttl), RDNS_NONE);
	n = answer(b, 0, "\x01" "a" "\xc0\x00", 4);
	size_t self = n - 4;                                    /* the rdata's own offset */
	b[n - 1] = (uint8_t)self;
	assert_int_equal(rdns_parse_answer(b, n, name, sizeof(name), &ttl), RDNS_NONE);
	n = answer(b, 0, "\x01" "a" "\xc0\xff", 4);
	assert_int_equal(rdns_parse_answer(b, n, name, sizeof(name), &ttl), RDNS_NONE);
	n = answer(b, 0, "\x05" "alpha" "\x00" "junk", 11);     /* name shorter than rdlength */
	assert_int_equal(rdns_parse_answer(b, n, name, sizeof(name), &ttl), RDNS_NONE);
	/* a CNAME first (RFC 2317), then the PTR: the PTR counts */
	n = answer(b, 0, "\x01" "x" "\x00", 3);
	b[n - 3 - 2 - 4 - 2 - 1] = 0x05;                        /* first record's type: CNAME */
	memcpy(b + n, "\xc0\x0c\x00\x0c\x00\x01\x00\x00\x00\x3c\x00\x03\x01" "y" "\x00", 15);
	n += 15;
	b[7] = 2;
	assert_int_equal(rdns_parse_answer(b, n, name, sizeof(name), &ttl), RDNS_NAME);
	assert_string_equal(name, "y");
	assert_int_equal(ttl, 60);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_ttl_clamp_negative),
		cmocka_unit_test(test_cache_bounded),
		cmocka_unit_test(test_query_names),
		cmocka_unit_test(test_parse_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
