/* Fixed-rate scheduling: ticks at start + k*period, no drift, missed ticks skipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sched.h"

#define SEC NSEC_PER_SEC

static void test_fixed_instants(void **state)
{
	(void)state;
	struct sched s;
	sched_init(&s, 5 * SEC, 100 * SEC);
	assert_false(sched_due(&s, 104 * SEC));
	assert_int_equal(sched_timeout_ms(&s, 104 * SEC), 1000);
	/* work inside a cycle (fired 300 ms late) does not move the next instant */
	assert_true(sched_due(&s, 105 * SEC + 300 * NSEC_PER_MSEC));
	assert_true(s.next_ns == 110 * SEC);
	assert_false(sched_due(&s, 109 * SEC));
	assert_true(sched_due(&s, 110 * SEC));
	assert_int_equal(s.ticks, 2);
	assert_int_equal(s.missed, 0);
}

static void test_missed_ticks_are_skipped(void **state)
{
	(void)state;
	struct sched s;
	sched_init(&s, 1 * SEC, 0);
	/* suspended for 3.5 periods: one tick now, two counted as missed */
	assert_true(sched_due(&s, 3 * SEC + SEC / 2));
	assert_false(sched_due(&s, 3 * SEC + SEC / 2));
	assert_int_equal(s.missed, 2);
	assert_true(s.next_ns == 4 * SEC);
}

static void test_timeout_rounds_up(void **state)
{
	(void)state;
	struct sched s;
	sched_init(&s, SEC, 0);
	assert_int_equal(sched_timeout_ms(&s, SEC - 1), 1);
	assert_int_equal(sched_timeout_ms(&s, SEC), 0);
	assert_int_equal(sched_timeout_ms(&s, 2 * SEC), 0);
}

static void test_iso8601(void **state)
{
	(void)state;
	char buf[32];
	assert_string_equal(iso8601_ms(0, buf, sizeof(buf)), "1970-01-01T00:00:00.000Z");
	assert_string_equal(iso8601_ms(1795577291420000000ULL + 999999, buf, sizeof(buf)),
			    "2026-11-25T03:28:11.420Z");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_instants),
		cmocka_unit_test(test_missed_ticks_are_skipped),
		cmocka_unit_test(test_timeout_rounds_up),
		cmocka_unit_test(test_iso8601),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
