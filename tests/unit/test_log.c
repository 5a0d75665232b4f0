/* Logging: one line per message, journald priority prefixes, control bytes escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "log.h"

/* Run fn with stderr redirected to a temporary file; return what it wrote. */
static char *capture(void (*fn)(void))
{
	static char out[4096];
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	fn();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	size_t n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return out;
}

static void say_plain(void)
{
	log_init("netmon-test");
	log_set_level(LOG_LVL_INFO);
	log_warnx("value %d", 42);
	log_info("hello");
	log_debug("not shown at info");
}

static void say_journal(void)
{
	setenv("JOURNAL_STREAM", "8:1234", 1);
	log_init("netmon-test");
	log_set_level(LOG_LVL_DEBUG);
	log_warnx("w");
	log_info("i");
	log_debug("d");
	unsetenv("JOURNAL_STREAM");
}

static void say_hostile(void)
{
	log_init("netmon-test");
	log_set_level(LOG_LVL_INFO);
	log_warnx("unknown option '%s'", "a\nnetmon-reporter: forged\x1b[2J");
}

static void test_plain_lines(void **state)
{
	(void)state;
	assert_string_equal(capture(say_plain), "netmon-test: value 42\nnetmon-test: hello\n");
}

static void test_journal_prefixes(void **state)
{
	(void)state;
	assert_string_equal(capture(say_journal),
			    "<4>netmon-test: w\n<6>netmon-test: i\n<7>netmon-test: d\n");
}

static void test_control_bytes_escaped(void **state)
{
	(void)state;
	assert_string_equal(capture(say_hostile),
			    "netmon-test: unknown option 'a\\x0anetmon-reporter: forged\\x1b[2J'\n");
}

static void say_flood(void)
{
	log_init("netmon-test");
	log_set_level(LOG_LVL_INFO);
	log_set_rate_limit(LOG_RATE_BURST, 60ULL * 1000000000ULL);
	/* a flood of one message (a refused peer each time) ... */
	for (int i = 0; i < 100000; i++)
		log_warnx("capd.sock: refused peer pid %d uid 0: %s", 1000 + i, "uid not allowed");
	/* ... does not hold back other messages, nor the same format saying
	 * something else */
	log_info("still here");
	log_warnx("capd.sock: refused peer pid %d uid 0: %s", 1, "sequence number out of order");
	log_warnx("%s", "another thing");
}

static void test_flood_is_rate_limited(void **state)
{
	(void)state;
	const char *out = capture(say_flood);
	int lines = 0;
	for (const char *p = out; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, LOG_RATE_BURST + 3);
	assert_non_null(strstr(out, "refused peer pid 1009 uid 0"));
	assert_null(strstr(out, "refused peer pid 1010 uid 0"));
	assert_non_null(strstr(out, "still here"));
	assert_non_null(strstr(out, "another thing"));
	assert_non_null(strstr(out, "out of order"));
}

static void say_window_end(void)
{
	log_init("netmon-test");
	log_set_level(LOG_LVL_INFO);
	log_set_rate_limit(2, 1000000);   /* 2 lines per ms */
	for (int i = 0; i < 50; i++)
		log_warnx("bad record %d", i);
	struct timespec ts = { 0, 5000000 };
	nanosleep(&ts, NULL);
	log_flush();
	log_warnx("bad record %d", 99);
	log_set_rate_limit(LOG_RATE_BURST, LOG_RATE_WINDOW_NS);
}

static void test_suppressed_count_is_reported(void **state)
{
	(void)state;
	assert_string_equal(capture(say_window_end),
			    "netmon-test: bad record 0\n"
			    "netmon-test: bad record 1\n"
			    "netmon-test: 48 similar messages suppressed (the first: \"bad record 2\")\n"
			    "netmon-test: bad record 99\n");
}

static void test_level_names(void **state)
{
	(void)state;
	assert_int_equal(log_level_parse("warning"), LOG_LVL_WARNING);
	assert_int_equal(log_level_parse("debug"), LOG_LVL_DEBUG);
	assert_int_equal(log_level_parse("loud"), -1);
	assert_string_equal(log_level_name(LOG_LVL_ERR), "error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_lines),
		cmocka_unit_test(test_journal_prefixes),
		cmocka_unit_test(test_control_bytes_escaped),
		cmocka_unit_test(test_level_names),
		cmocka_unit_test(test_flood_is_rate_limited),
		cmocka_unit_test(test_suppressed_count_is_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
