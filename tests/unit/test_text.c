/* common/text: strict UTF-8 and one-line quoting, shared by config and log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "text.h"

static void test_utf8(void **state)
{
	(void)state;
	assert_true(text_utf8_valid("plain ascii"));
	assert_true(text_utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
	assert_false(text_utf8_valid("\xc0\xaf"));           /* overlong '/' */
	assert_false(text_utf8_valid("\xed\xa0\x80"));       /* surrogate */
	assert_false(text_utf8_valid("\xf4\x90\x80\x80"));   /* above U+10FFFF */
	assert_false(text_utf8_valid("latin1 \xe9"));
	assert_false(text_utf8_valid("\xe2\x82"));           /* cut short by the NUL */
}

static void test_quote(void **state)
{
	(void)state;
	char out[64];
	text_quote_safe(out, sizeof(out), "a\nb\x1b[2J \xe9 \xc3\xa9", 100);
	assert_string_equal(out, "a\\x0ab\\x1b[2J \\xe9 \xc3\xa9");
	text_quote_safe(out, sizeof(out), "abcdef", 3);
	assert_string_equal(out, "abc...");
	/* a destination too small is cut, marked and still terminated */
	char small[8];
	text_quote_safe(small, sizeof(small), "\n\n\n\n", 100);
	assert_true(strlen(small) < sizeof(small));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_quote),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
