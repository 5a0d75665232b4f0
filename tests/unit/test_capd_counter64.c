/* libpcap's 32-bit drop/recv counters are widened across wraps, never backwards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "capd/live.h"

static void test_widening_across_wrap(void **state)
{
	(void)state;
	struct capd_counter64 c = { 0, 0 };
	assert_true(capd_counter64_update(&c, 10) == 10);
	assert_true(capd_counter64_update(&c, 10) == 10);
	assert_true(capd_counter64_update(&c, 0xfffffff0u) == 0xfffffff0ULL);
	/* the kernel counter wraps: 0xfffffff0 -> 5 is 21 more */
	assert_true(capd_counter64_update(&c, 5) == 0xfffffff0ULL + 21);
	/* and keeps going past 2^32 several times */
	uint64_t expect = c.total;
	uint32_t raw = 5;
	for (int i = 0; i < 10; i++) {
		raw += 0x80000000u;
		expect += 0x80000000u;
		assert_true(capd_counter64_update(&c, raw) == expect);
	}
	assert_true(expect > 4 * 0xffffffffULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_widening_across_wrap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
