/* Delivery: the API key file's checks, and the backoff's bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "reporter/delivery.h"

static char dir[64], path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/nmt-key.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/api.key", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return rmdir(dir);
}

static void write_key(const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static int load(char *key, char *err)
{
	return delivery_load_key(path, geteuid(), key, DELIVERY_KEY_MAX, err, 256);
}

static void test_key_file(void **state)
{
	(void)state;
	char key[DELIVERY_KEY_MAX], err[256];
	write_key("s3cr3t-KEY\n", 0600);
	assert_int_equal(load(key, err), 0);
	assert_string_equal(key, "s3cr3t-KEY");
	write_key("s3cr3t-KEY\r\n", 0640);      /* group may read (root:netmon 0640) */
	assert_int_equal(load(key, err), 0);
	assert_string_equal(key, "s3cr3t-KEY");

	write_key("s3cr3t-KEY\n", 0644);
	assert_int_equal(load(key, err), -1);
	assert_non_null(strstr(err, "readable by others"));
	assert_null(strstr(err, "s3cr3t"));     /* never in a message */
	write_key("s3cr3t-KEY\n", 0660);
	assert_int_equal(load(key, err), -1);
	assert_non_null(strstr(err, "writable"));
	write_key("s3cr3t-KEY\n", 0602);
	assert_int_equal(load(key, err), -1);

	write_key("two words\n", 0600);
	assert_int_equal(load(key, err), -1);
	assert_null(strstr(err, "two"));
	write_key("\n", 0600);
	assert_int_equal(load(key, err), -1);

	if (geteuid() == 0) {
		/* someone else's file: refused even with a tight mode */
		write_key("s3cr3t-KEY\n", 0600);
		assert_int_equal(chown(path, 12345, 0), 0);
		assert_int_equal(load(key, err), -1);
		assert_non_null(strstr(err, "owned by"));
	}
}

static void test_key_env(void **state)
{
	(void)state;
	char key[DELIVERY_KEY_MAX], err[256];
	setenv("NETMON_API_KEY", "env-key", 1);
	assert_int_equal(delivery_load_key("", 0, key, sizeof(key), err, sizeof(err)), 0);
	assert_string_equal(key, "env-key");
	setenv("NETMON_API_KEY", "bad\nkey", 1);
	assert_int_equal(delivery_load_key("", 0, key, sizeof(key), err, sizeof(err)), -1);
	unsetenv("NETMON_API_KEY");
	assert_int_equal(delivery_load_key("", 0, key, sizeof(key), err, sizeof(err)), 0);
	assert_string_equal(key, "");
}

static void test_backoff(void **state)
{
	(void)state;
	uint64_t prev_max = 0;
	for (unsigned f = 1; f < 40; f++) {
		uint64_t lo = delivery_backoff_ns(f, 0), hi = delivery_backoff_ns(f, UINT32_MAX);
		assert_true(lo >= DELIVERY_BACKOFF_MIN_NS / 2);
		assert_true(hi <= DELIVERY_BACKOFF_MAX_NS);
		assert_true(lo <= hi && hi >= prev_max);   /* grows, then stays capped */
		assert_true(hi <= 2 * lo + 1);             /* jitter within [d/2, d] */
		prev_max = hi;
	}
	assert_int_equal(delivery_backoff_ns(1, UINT32_MAX), DELIVERY_BACKOFF_MIN_NS);
	assert_int_equal(delivery_backoff_ns(30, UINT32_MAX), DELIVERY_BACKOFF_MAX_NS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_key_file, setup, teardown),
		cmocka_unit_test(test_key_env),
		cmocka_unit_test(test_backoff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
