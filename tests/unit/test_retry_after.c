/* Retry-After (RFC 9110 §10.2.3): delay-seconds and the three HTTP-date forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "reporter/retry_after.h"

/* Sun, 06 Nov 1994 08:49:37 GMT */
#define T1994 784111777

static int parse(const char *v, int64_t now, uint32_t *d)
{
	return retry_after_parse(v, strlen(v), now, d);
}

static void test_seconds(void **state)
{
	(void)state;
	uint32_t d = 99;
	assert_int_equal(parse("120", 0, &d), 0);
	assert_int_equal(d, 120);
	assert_int_equal(parse("  7\t", 0, &d), 0);
	assert_int_equal(d, 7);
	assert_int_equal(parse("0", 0, &d), 0);
	assert_int_equal(d, 0);
	/* capped, and no overflow on absurd lengths */
	assert_int_equal(parse("99999999999999999999999999999", 0, &d), 0);
	assert_int_equal(d, RETRY_AFTER_MAX_S);
	assert_int_equal(parse("3601", 0, &d), 0);
	assert_int_equal(d, RETRY_AFTER_MAX_S);
}

static void test_dates(void **state)
{
	(void)state;
	uint32_t d = 0;
	assert_int_equal(parse("Sun, 06 Nov 1994 08:49:37 GMT", T1994 - 30, &d), 0);
	assert_int_equal(d, 30);
	assert_int_equal(parse("Sunday, 06-Nov-94 08:49:37 GMT", T1994 - 31, &d), 0);
	assert_int_equal(d, 31);
	assert_int_equal(parse("Sun Nov  6 08:49:37 1994", T1994 - 32, &d), 0);
	assert_int_equal(d, 32);
	/* in the past: now */
	assert_int_equal(parse("Sun, 06 Nov 1994 08:49:37 GMT", T1994 + 500, &d), 0);
	assert_int_equal(d, 0);
	/* far future: capped */
	assert_int_equal(parse("Fri, 31 Dec 9999 23:59:59 GMT", T1994, &d), 0);
	assert_int_equal(d, RETRY_AFTER_MAX_S);
	/* leap day */
	assert_int_equal(parse("Thu, 29 Feb 2024 00:00:00 GMT", 1709164800 - 1, &d), 0);
	assert_int_equal(d, 1);
}

static void test_refused(void **state)
{
	(void)state;
	uint32_t d = 5;
	const char *bad[] = {
		"", "   ", "-1", "1.5", "12abc", "+3", "0x10",
		"Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 31 Feb 1994 08:49:37 GMT",
		"Sun, 29 Feb 2023 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 08:49:37 GMT trailing", "Sun, 06 Nov 1994 08:49:37",
		"Sun Nov  6 08:49:37 94", "Funday, 06-Nov-94 08:49:37 GMT",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], 0, &d) != -1)
			fail_msg("accepted '%s'", bad[i]);
	}
	char longv[RETRY_AFTER_MAX_LEN + 2];
	memset(longv, '1', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	assert_int_equal(parse(longv, 0, &d), -1);
	assert_int_equal(retry_after_parse(NULL, 0, 0, &d), -1);
	/* not NUL-terminated: only len bytes are read */
	const char buf[] = { '4', '2', 'x' };
	assert_int_equal(retry_after_parse(buf, 2, 0, &d), 0);
	assert_int_equal(d, 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seconds),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
