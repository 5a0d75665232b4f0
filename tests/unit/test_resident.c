/* Start-up code's pages given back (common/resident.c): the mapped file
 * pages of the process drop, and everything still runs afterwards (code and
 * constants fault back in; relocated data is never touched). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "resident.h"

static long rss_file_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	long kib = -1;
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "RssFile: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static const char greeting[] = "constants survive";  /* .rodata */
static char relocated_buf[8];
static char *relocated = relocated_buf;               /* a relocation the loader wrote */

static void test_release_drops_file_pages_and_code_still_runs(void **state)
{
	(void)state;
	/* touch a good part of libc first, as a daemon's start-up does */
	char buf[256];
	snprintf(buf, sizeof(buf), "%s %d %.3f %lx", "warm", 42, 3.25, 0xabcUL);
	long before = rss_file_kib();
	assert_true(before > 0);

	size_t advised = resident_release_code();
	assert_true(advised > 0);
	long after = rss_file_kib();
	/* the file pages this process had mapped fell (some fault straight
	 * back in for the reads above) */
	assert_true(after < before);

	/* code, constants and relocated pointers are all still right */
	int v[5] = { 5, 3, 4, 1, 2 };
	qsort(v, 5, sizeof(v[0]), cmp_int);
	for (int i = 0; i < 5; i++)
		assert_int_equal(v[i], i + 1);
	snprintf(buf, sizeof(buf), "%s %d", greeting, 7);
	assert_string_equal(buf, "constants survive 7");
	assert_ptr_equal(relocated, relocated_buf);
	/* twice is harmless */
	assert_true(resident_release_code() > 0);
	assert_string_equal(strchr(buf, '7'), "7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_release_drops_file_pages_and_code_still_runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
