/*
 * common/cidr.c: address, prefix and MAC parsing, matching and formatting.
 * Matching is cross-checked against a bit-by-bit reference on random
 * prefixes, formatting against inet_ntop/inet_pton.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cidr.h"

/* A small deterministic generator: the same cases on every run. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void parse_ok(const char *s, const char *canonical)
{
	struct cidr c;
	char err[128] = "", buf[CIDR_STRLEN];
	if (cidr_parse(s, &c, err, sizeof(err)) != 0)
		fail_msg("cidr_parse(\"%s\") failed: %s", s, err);
	assert_string_equal(cidr_format(&c, buf, sizeof(buf)), canonical);
}

static void parse_bad(const char *s, const char *why)
{
	struct cidr c;
	char err[128] = "";
	if (cidr_parse(s, &c, err, sizeof(err)) == 0)
		fail_msg("cidr_parse(\"%s\") accepted it", s);
	if (strstr(err, why) == NULL)
		fail_msg("cidr_parse(\"%s\"): error '%s' lacks '%s'", s, err, why);
}

static void test_cidr_parse_valid(void **state)
{
	(void)state;
	parse_ok("192.0.2.0/24", "192.0.2.0/24");
	parse_ok("192.0.2.1", "192.0.2.1/32");               /* no prefix: one host */
	parse_ok("192.0.2.255/24", "192.0.2.0/24");          /* host bits cleared */
	parse_ok("192.0.2.255/25", "192.0.2.128/25");
	parse_ok("198.51.100.7/31", "198.51.100.6/31");
	parse_ok("255.255.255.255/1", "128.0.0.0/1");
	parse_ok("10.20.30.40/0", "0.0.0.0/0");
	parse_ok("0.0.0.0/32", "0.0.0.0/32");
	parse_ok("2001:DB8::1/32", "2001:db8::/32");        /* case-insensitive, canonical out */
	parse_ok("2001:db8:0:0:0:0:0:1", "2001:db8::1/128");
	parse_ok("2001:db8::ffff/127", "2001:db8::fffe/127");
	parse_ok("::/0", "::/0");
	parse_ok("::1/128", "::1/128");
	parse_ok("fe80::1:2:3:4/10", "fe80::/10");
	parse_ok("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/65", "ffff:ffff:ffff:ffff:8000::/65");
	parse_ok("::ffff:192.0.2.1/120", "::ffff:192.0.2.0/120");
	parse_ok("0000:0000:0000:0000:0000:ffff:255.255.255.255/128", "::ffff:255.255.255.255/128");
}

static void test_cidr_parse_invalid(void **state)
{
	(void)state;
	parse_bad("", "not a CIDR");
	parse_bad("/8", "not an IPv4 or IPv6 address");
	parse_bad("192.0.2.0/", "bad prefix length");
	parse_bad("192.0.2.0/33", "exceeds 32");
	parse_bad("2001:db8::/129", "exceeds 128");
	parse_bad("192.0.2.0/999", "exceeds 32");
	parse_bad("192.0.2.0/1000", "bad prefix length");
	parse_bad("192.0.2.0/-1", "bad prefix length");
	parse_bad("192.0.2.0/+8", "bad prefix length");
	parse_bad("192.0.2.0/ 8", "bad prefix length");
	parse_bad("192.0.2.0/8 ", "bad prefix length");
	parse_bad("192.0.2.0/0x8", "bad prefix length");
	parse_bad("192.0.2.0/08", "bad prefix length");      /* leading zero: was accepted (bug) */
	parse_bad("192.0.2.0/8/8", "bad prefix length");
	parse_bad("192.0.2.0//8", "bad prefix length");
	parse_bad("192.0.2/24", "not an IPv4");               /* inet_aton forms are refused */
	parse_bad("192.0.2.010", "not an IPv4");
	parse_bad("0x7f.0.0.1", "not an IPv4");
	parse_bad("256.0.0.0", "not an IPv4");
	parse_bad("1.2.3.4.5", "not an IPv4");
	parse_bad(" 192.0.2.1", "not an IPv4");
	parse_bad("192.0.2.1 ", "not an IPv4");
	parse_bad("fe80::1%eth0", "not an IPv4");             /* zone ids are not prefixes */
	parse_bad("2001:db8::1::2", "not an IPv4");
	parse_bad("2001:db8:::/48", "not an IPv4");
	parse_bad("example.com", "not an IPv4");

	/* over-long input is refused before copying; the message stays bounded */
	char longs[300];
	memset(longs, '1', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	struct cidr c;
	char err[256];
	assert_int_equal(cidr_parse(longs, &c, err, sizeof(err)), -1);
	assert_true(strlen(err) < 100);

	/* the error buffer may be tiny */
	char tiny[4];
	assert_int_equal(cidr_parse("x", &c, tiny, sizeof(tiny)), -1);
	assert_int_equal(strlen(tiny), 3);
}

static void test_cidr_list_parse(void **state)
{
	(void)state;
	struct cidr_list l;
	char err[128], buf[4096];

	assert_int_equal(cidr_list_parse("192.0.2.0/24", &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(cidr_list_parse(" 192.0.2.0/24 ,\t2001:db8::/32\t, 198.51.100.9 ", &l, err,
					 sizeof(err)), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(cidr_list_format(&l, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "192.0.2.0/24, 2001:db8::/32, 198.51.100.9/32");

	/* the list replaces, not appends */
	assert_int_equal(cidr_list_parse("203.0.113.0/24", &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 1);

	static const char *const bad[] = { "", " ", ",", "192.0.2.0/24,", ",192.0.2.0/24",
		"192.0.2.0/24,,198.51.100.0/24", "192.0.2.0/24;198.51.100.0/24", "192.0.2.0/24 198.51.100.0/24" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cidr_list_parse(bad[i], &l, err, sizeof(err)) == 0)
			fail_msg("cidr_list_parse(\"%s\") accepted it", bad[i]);

	/* exactly CIDR_LIST_MAX items fit, one more does not */
	char many[CIDR_LIST_MAX * 20 + 32] = "";
	size_t used = 0;
	for (int i = 0; i < CIDR_LIST_MAX; i++)
		used += (size_t)snprintf(many + used, sizeof(many) - used, "%s10.%d.0.0/16", i ? "," : "", i);
	assert_int_equal(cidr_list_parse(many, &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, CIDR_LIST_MAX);
	snprintf(many + used, sizeof(many) - used, ",10.250.0.0/16");
	assert_int_equal(cidr_list_parse(many, &l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "more than 64"));

	/* an item too long for any address */
	char longitem[200] = "192.0.2.0/24,";
	memset(longitem + 13, 'a', 100);
	longitem[113] = '\0';
	assert_int_equal(cidr_list_parse(longitem, &l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a CIDR prefix"));
}

static void test_cidr_list_add_and_format_limits(void **state)
{
	(void)state;
	struct cidr_list l;
	struct cidr c;
	char err[64];
	memset(&l, 0, sizeof(l));
	assert_int_equal(cidr_parse("2001:db8:ffff:ffff:ffff:ffff:ffff:fff0/124", &c, err, sizeof(err)), 0);
	for (int i = 0; i < CIDR_LIST_MAX; i++)
		assert_int_equal(cidr_list_add(&l, &c), 0);
	assert_int_equal(cidr_list_add(&l, &c), -1);
	assert_int_equal(l.n, CIDR_LIST_MAX);

	/* a buffer too small is reported, and what is there stays a C string */
	char small[30];
	assert_int_equal(cidr_list_format(&l, small, sizeof(small)), -1);
	assert_true(memchr(small, '\0', sizeof(small)) != NULL);
	assert_int_equal(cidr_list_format(&l, small, 0), -1);
	/* the biggest list fits a config line (config.c relies on it) */
	char big[4096];
	assert_int_equal(cidr_list_format(&l, big, sizeof(big)), 0);
	assert_true(strlen(big) < 4000);

	struct cidr_list empty = { .n = 0 };
	assert_int_equal(cidr_list_format(&empty, small, sizeof(small)), 0);
	assert_string_equal(small, "");
}

/* Reference: is bit i of a equal to bit i of b for every i < prefix? */
static bool ref_contains(const struct cidr *c, int family, const uint8_t *a)
{
	if (c->net.family != family)
		return false;
	for (unsigned i = 0; i < c->prefix; i++) {
		unsigned x = c->net.bytes[i / 8] >> (7 - i % 8) & 1, y = a[i / 8] >> (7 - i % 8) & 1;
		if (x != y)
			return false;
	}
	return true;
}

static void test_cidr_contains_matches_reference(void **state)
{
	(void)state;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	unsigned hits = 0, misses = 0;
	for (int round = 0; round < 200000; round++) {
		int family = rng_next(&seed) & 1 ? AF_INET6 : AF_INET;
		unsigned width = family == AF_INET ? 32 : 128;
		uint8_t net[16], addr[16];
		for (int i = 0; i < 16; i++)
			net[i] = (uint8_t)rng_next(&seed);
		memcpy(addr, net, sizeof(addr));
		/* flip one random bit (or none) so matches and misses both happen */
		unsigned flip = (unsigned)(rng_next(&seed) % (width + 1));
		if (flip < width)
			addr[flip / 8] ^= (uint8_t)(0x80u >> (flip % 8));
		unsigned prefix = (unsigned)(rng_next(&seed) % (width + 1));

		char text[ADDR_STRLEN + 8], a[ADDR_STRLEN], err[128];
		addr_format(family, net, a, sizeof(a));
		snprintf(text, sizeof(text), "%s/%u", a, prefix);
		struct cidr c;
		if (cidr_parse(text, &c, err, sizeof(err)) != 0)
			fail_msg("%s: %s", text, err);
		assert_int_equal(c.prefix, prefix);

		/* an IPv4 address is only 4 bytes: give exactly that much */
		uint8_t *exact = malloc(width / 8);
		memcpy(exact, addr, width / 8);
		bool got = cidr_contains(&c, family, exact), want = ref_contains(&c, family, exact);
		free(exact);
		if (got != want)
			fail_msg("%s contains %s flip %u: got %d want %d", text, a, flip, got, want);
		got ? hits++ : misses++;
		/* the other family never matches */
		assert_false(cidr_contains(&c, family == AF_INET ? AF_INET6 : AF_INET, addr));
	}
	assert_true(hits > 1000 && misses > 1000);
}

static void test_cidr_contains_edges(void **state)
{
	(void)state;
	struct cidr c;
	char err[64];
	uint8_t a[16];

	assert_int_equal(cidr_parse("0.0.0.0/0", &c, err, sizeof(err)), 0);
	memset(a, 0xff, sizeof(a));
	assert_true(cidr_contains(&c, AF_INET, a));
	assert_false(cidr_contains(&c, AF_INET6, a));
	assert_int_equal(cidr_parse("::/0", &c, err, sizeof(err)), 0);
	assert_true(cidr_contains(&c, AF_INET6, a));
	assert_false(cidr_contains(&c, AF_INET, a));

	/* a hand-made prefix beyond the width is not a match (and reads nothing past it) */
	uint8_t *four = malloc(4);
	memcpy(four, (uint8_t[]){ 192, 0, 2, 1 }, 4);
	memset(&c, 0, sizeof(c));
	c.net.family = AF_INET;
	memcpy(c.net.bytes, four, 4);
	c.prefix = 40;
	assert_false(cidr_contains(&c, AF_INET, four));
	c.prefix = 32;
	assert_true(cidr_contains(&c, AF_INET, four));
	free(four);

	/* lists: any member; empty list: nothing */
	struct cidr_list l;
	assert_int_equal(cidr_list_parse("192.0.2.0/25, 2001:db8::/64, 192.0.2.200/32", &l, err,
					 sizeof(err)), 0);
	uint8_t in1[16] = { 192, 0, 2, 127 }, in2[16] = { 192, 0, 2, 200 }, out[16] = { 192, 0, 2, 201 };
	assert_true(cidr_list_contains(&l, AF_INET, in1));
	assert_true(cidr_list_contains(&l, AF_INET, in2));
	assert_false(cidr_list_contains(&l, AF_INET, out));
	struct in6_addr v6;
	inet_pton(AF_INET6, "2001:db8::abcd", &v6);
	assert_true(cidr_list_contains(&l, AF_INET6, v6.s6_addr));
	inet_pton(AF_INET6, "2001:db8:0:1::", &v6);
	assert_false(cidr_list_contains(&l, AF_INET6, v6.s6_addr));
	l.n = 0;
	assert_false(cidr_list_contains(&l, AF_INET, in1));
}

static void test_addr_parse_format_roundtrip(void **state)
{
	(void)state;
	uint64_t seed = 12345;
	for (int round = 0; round < 20000; round++) {
		int family = round & 1 ? AF_INET6 : AF_INET;
		uint8_t bytes[16] = { 0 };
		size_t n = family == AF_INET ? 4 : 16;
		for (size_t i = 0; i < n; i++)
			bytes[i] = (round & 2) && i % 3 ? 0 : (uint8_t)rng_next(&seed); /* runs of zeros for "::" */
		char text[ADDR_STRLEN], ref[ADDR_STRLEN];
		addr_format(family, bytes, text, sizeof(text));
		assert_non_null(inet_ntop(family, bytes, ref, sizeof(ref)));
		assert_string_equal(text, ref);
		struct netaddr a;
		assert_int_equal(addr_parse(text, &a), 0);
		assert_int_equal(a.family, family);
		assert_memory_equal(a.bytes, bytes, sizeof(bytes));   /* IPv4: rest zeroed */
	}
	struct netaddr a;
	assert_int_equal(addr_parse("", &a), -1);
	assert_int_equal(addr_parse("1.2.3.4/8", &a), -1);
	char buf[ADDR_STRLEN];
	uint8_t z[16] = { 0 };
	assert_string_equal(addr_format(0, z, buf, sizeof(buf)), "?");   /* no family */
	assert_string_equal(addr_format(AF_INET6, z, buf, sizeof(buf)), "::");
}

static void test_mac(void **state)
{
	(void)state;
	uint8_t m[6];
	char buf[MAC_STRLEN];

	assert_int_equal(mac_parse("00:1A:2b:3C:4d:FF", m), 0);
	assert_memory_equal(m, ((uint8_t[]){ 0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0xff }), 6);
	assert_string_equal(mac_format(m, buf, sizeof(buf)), "00:1a:2b:3c:4d:ff");
	assert_int_equal(mac_parse("ff:ff:ff:ff:ff:ff", m), 0);
	assert_string_equal(mac_format(m, buf, sizeof(buf)), "ff:ff:ff:ff:ff:ff");

	static const char *const bad[] = { "", "00:1a:2b:3c:4d", "00:1a:2b:3c:4d:ff:",
		"00-1a-2b-3c-4d-ff", "001a.2b3c.4dff", "0:1a:2b:3c:4d:ff0", "00:1a:2b:3c:4d:fg",
		"00:1a:2b:3c:4d:f", " 00:1a:2b:3c:4d:f", "00:1a:2b:3c:4d:\xff\xff", "001a2b3c4dff00000" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (mac_parse(bad[i], m) == 0)
			fail_msg("mac_parse(\"%s\") accepted it", bad[i]);

	/* every byte value round-trips */
	for (int v = 0; v < 256; v++) {
		uint8_t in[6] = { (uint8_t)v, (uint8_t)(255 - v), 0, (uint8_t)v, 1, (uint8_t)(v ^ 0x5a) }, out6[6];
		mac_format(in, buf, sizeof(buf));
		assert_int_equal(strlen(buf), 17);
		assert_int_equal(mac_parse(buf, out6), 0);
		assert_memory_equal(in, out6, 6);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cidr_parse_valid),
		cmocka_unit_test(test_cidr_parse_invalid),
		cmocka_unit_test(test_cidr_list_parse),
		cmocka_unit_test(test_cidr_list_add_and_format_limits),
		cmocka_unit_test(test_cidr_contains_matches_reference),
		cmocka_unit_test(test_cidr_contains_edges),
		cmocka_unit_test(test_addr_parse_format_roundtrip),
		cmocka_unit_test(test_mac),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
