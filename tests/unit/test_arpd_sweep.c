/* The sweep's schedule with made-up times: pacing, skipped network and
 * broadcast, retries only for the silent, adaptive waits, reply matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arpd/sweep.h"

#define MS 1000000ULL

static void plan(struct sweep *s, const char *range, unsigned rate, unsigned tries)
{
	struct cidr_list r = { .n = 0 };
	char err[256];
	assert_int_equal(cidr_list_parse(range, &r, err, sizeof(err)), 0);
	assert_int_equal(sweep_init(s, &r, rate, tries, err, sizeof(err)), 0);
}

static void test_range_limits(void **state)
{
	(void)state;
	struct sweep s;
	struct cidr_list r = { .n = 0 };
	char err[256];
	assert_int_equal(cidr_list_parse("10.0.0.0/15", &r, err, sizeof(err)), 0);
	assert_int_equal(sweep_init(&s, &r, 500, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "10.0.0.0/15 is larger than a /16"));
	assert_int_equal(cidr_list_parse("10.0.0.0/16, 10.1.0.0/16", &r, err, sizeof(err)), 0);
	assert_int_equal(sweep_init(&s, &r, 500, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "more than a /16"));
	plan(&s, "10.0.0.0/16", 500, 2);
	assert_int_equal(s.n, 65534);
	sweep_free(&s);
	/* network/broadcast skipped; /31 and /32 kept; overlaps once */
	plan(&s, "192.0.2.0/24, 192.0.2.128/25, 198.51.100.0/31, 203.0.113.9/32", 500, 2);
	assert_int_equal(s.n, 254 + 2 + 1);
	assert_int_equal(s.t[0].ip, 0xc0000201);
	assert_int_equal(s.t[253].ip, 0xc00002fe);
	sweep_exclude(&s, 0xc0000201);          /* our own address */
	assert_int_equal(s.n, 254 + 2);
	assert_int_equal(s.t[0].ip, 0xc0000202);
	sweep_free(&s);
}

static void test_pacing_never_bursts(void **state)
{
	(void)state;
	struct sweep s;
	plan(&s, "192.0.2.0/24", 500, 1);
	uint32_t ip;
	uint64_t now = 1000 * MS;
	unsigned sent = 0;
	/* ask every 0.5 ms for 100 ms: 2 ms apart, 50 requests */
	for (uint64_t t = now; t < now + 100 * MS; t += MS / 2)
		while (sweep_next(&s, t, &ip))
			sent++;
	assert_int_equal(sent, 50);
	/* a caller 30 ms late catches up with SWEEP_BURST requests, not 15 */
	sent = 0;
	while (sweep_next(&s, now + 130 * MS, &ip))
		sent++;
	assert_int_equal(sent, SWEEP_BURST);
	/* and then keeps the rate */
	assert_false(sweep_next(&s, now + 131 * MS, &ip));
	assert_true(sweep_next(&s, now + 132 * MS, &ip));
	sweep_free(&s);
}

/* Drive a sweep where `live` addresses answer after `rtt`, stepping 0.1 ms. */
static uint64_t run(struct sweep *s, const uint32_t *live, size_t nlive, uint64_t rtt,
		    unsigned *requests)
{
	static const uint8_t mac[6] = { 0, 1, 2, 3, 4, 5 };
	uint64_t pending_at[8] = { 0 };
	uint64_t t = 0;
	*requests = 0;
	for (; !sweep_done(s, t) && t < 10000 * MS; t += MS / 10) {
		uint32_t ip;
		while (sweep_next(s, t, &ip)) {
			(*requests)++;
			for (size_t i = 0; i < nlive; i++)
				if (live[i] == ip && pending_at[i] == 0)
					pending_at[i] = t + rtt;
		}
		for (size_t i = 0; i < nlive; i++)
			if (pending_at[i] && pending_at[i] <= t) {
				sweep_reply(s, live[i], mac, t);
				pending_at[i] = 0;
			}
	}
	return t;
}

static void test_retries_only_the_silent(void **state)
{
	(void)state;
	struct sweep s;
	plan(&s, "192.0.2.0/24", 500, 2);
	uint32_t live[3] = { 0xc0000205, 0xc0000280, 0xc00002fe };
	unsigned req;
	uint64_t t = run(&s, live, 3, MS / 2, &req);
	assert_int_equal(sweep_found(&s), 3);
	assert_int_equal(req, 254 + 251);
	assert_int_equal(s.st.retries, 251);
	/* fast LAN: sending at 500/s plus the 50 ms floor of the final wait */
	assert_true(t < (uint64_t)req * 2 * MS + 80 * MS);
	assert_true(t >= (uint64_t)(req - 1) * 2 * MS + 50 * MS);
	assert_int_equal(sweep_retry_wait_ns(&s), 10 * MS);
	sweep_free(&s);
}

static void test_waits_follow_reply_times(void **state)
{
	(void)state;
	struct sweep s;
	plan(&s, "192.0.2.0/28", 500, 2);
	/* before any reply: 170 ms before a retry */
	assert_int_equal(sweep_retry_wait_ns(&s), 170 * MS);
	uint32_t live[1] = { 0xc0000203 };
	unsigned req;
	uint64_t t = run(&s, live, 1, 100 * MS, &req);
	assert_int_equal(sweep_found(&s), 1);
	/* a 100 ms answer stretches the final wait to 145 ms and the retry
	 * wait to 400 ms: a slow host is waited for */
	assert_int_equal(sweep_final_wait_ns(&s), 145 * MS);
	assert_int_equal(sweep_retry_wait_ns(&s), 400 * MS);
	assert_true(t > 400 * MS);
	sweep_free(&s);
	/* a host answering only the retry (asleep at the first request), 300 ms
	 * after it: the final wait counts from the first request */
	plan(&s, "192.0.2.0/30", 500, 2);
	uint32_t ip;
	assert_true(sweep_next(&s, 0, &ip));
	assert_true(sweep_next(&s, 2 * MS, &ip));
	assert_false(sweep_next(&s, 100 * MS, &ip));
	assert_true(sweep_next(&s, 171 * MS, &ip));     /* retry of the first */
	static const uint8_t mac[6] = { 0, 1, 2, 3, 4, 5 };
	assert_int_equal(sweep_reply(&s, ip, mac, 471 * MS), SWEEP_MATCHED);
	assert_int_equal(s.st.rtt_max_ns, 471 * MS);
	assert_int_equal(s.st.rtt_first_max_ns, 0);
	assert_false(sweep_done(&s, 500 * MS));
	sweep_free(&s);
}

static void test_reply_matching(void **state)
{
	(void)state;
	struct sweep s;
	static const uint8_t a[6] = { 0, 0, 0, 0, 0, 0xa }, b[6] = { 0, 0, 0, 0, 0, 0xb };
	plan(&s, "192.0.2.0/29", 500, 2);
	uint32_t ip;
	assert_int_equal(sweep_reply(&s, 0xc0000201, a, 0), SWEEP_UNASKED);   /* not asked yet */
	assert_true(sweep_next(&s, 0, &ip));
	assert_int_equal(sweep_reply(&s, 0x0a000001, a, 0), SWEEP_UNASKED);   /* not ours */
	assert_int_equal(sweep_reply(&s, ip, a, MS), SWEEP_MATCHED);
	assert_int_equal(sweep_reply(&s, ip, a, MS), SWEEP_DUPLICATE);
	assert_int_equal(sweep_reply(&s, ip, b, MS), SWEEP_CONFLICT);
	assert_int_equal(s.st.unasked, 2);
	assert_int_equal(sweep_found(&s), 1);
	sweep_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_limits),
		cmocka_unit_test(test_pacing_never_bursts),
		cmocka_unit_test(test_retries_only_the_silent),
		cmocka_unit_test(test_waits_follow_reply_times),
		cmocka_unit_test(test_reply_matching),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
