/* The delivery spool: durable, ordered, bounded, found again after a restart. */
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

#include "reporter/spool.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/nmt-spool.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static void put(struct spool *s, const char *id, size_t len)
{
	char *body = malloc(len);
	memset(body, 'x', len);
	assert_int_equal(spool_put(s, id, body, len), 0);
	free(body);
}

static char *head_body(struct spool *s)
{
	char *b;
	size_t n;
	assert_int_equal(spool_read_head(s, &b, &n), 0);
	char *z = malloc(n + 1);
	memcpy(z, b, n);
	z[n] = '\0';
	free(b);
	return z;
}

static void test_order_and_restart(void **state)
{
	(void)state;
	struct spool s;
	char err[256];
	assert_int_equal(spool_open(&s, dir, 1 << 20, err, sizeof(err)), 0);
	assert_int_equal(spool_put(&s, "aaaa-1", "{\"n\":1}", 7), 0);
	assert_int_equal(spool_put(&s, "bbbb-2", "{\"n\":2}", 7), 0);
	assert_int_equal(spool_put(&s, "cccc-3", "{\"n\":3}", 7), 0);
	assert_int_equal(spool_depth(&s), 3);
	spool_pop_delivered(&s);
	spool_close(&s);

	/* a crash leaves a half-written temporary file: ignored and removed */
	char tmp[128];
	snprintf(tmp, sizeof(tmp), "%s/spool/tmp-00000000000000ff", dir);
	FILE *f = fopen(tmp, "w");
	fputs("{\"tor", f);
	fclose(f);

	assert_int_equal(spool_open(&s, dir, 1 << 20, err, sizeof(err)), 0);
	assert_int_equal(spool_depth(&s), 2);
	assert_string_equal(spool_head(&s)->id, "bbbb-2");
	char *b = head_body(&s);
	assert_string_equal(b, "{\"n\":2}");
	free(b);
	assert_int_not_equal(access(tmp, F_OK), 0);
	/* new entries continue the sequence after the old ones */
	assert_int_equal(spool_put(&s, "dddd-4", "{\"n\":4}", 7), 0);
	spool_pop_delivered(&s);
	assert_string_equal(spool_head(&s)->id, "cccc-3");
	spool_pop_delivered(&s);
	assert_string_equal(spool_head(&s)->id, "dddd-4");
	spool_pop_dead(&s);
	assert_int_equal(spool_depth(&s), 0);
	assert_int_equal(s.dead_lettered, 1);
	char dead[160];
	snprintf(dead, sizeof(dead), "%s/spool/dead/%016x-dddd-4.json", dir, 4);
	assert_int_equal(access(dead, F_OK), 0);
	spool_close(&s);
}

static void test_bound_drops_oldest_not_busy(void **state)
{
	(void)state;
	struct spool s;
	char err[256];
	assert_int_equal(spool_open(&s, dir, 3000, err, sizeof(err)), 0);
	put(&s, "a-1", 1000);
	put(&s, "a-2", 1000);
	put(&s, "a-3", 1000);
	assert_int_equal(s.dropped, 0);
	s.head_busy = true;          /* a-1 is being sent: a-2 goes instead */
	put(&s, "a-4", 1000);
	assert_int_equal(s.dropped, 1);
	assert_int_equal(spool_depth(&s), 3);
	assert_string_equal(spool_head(&s)->id, "a-1");
	s.head_busy = false;
	spool_pop_delivered(&s);
	assert_string_equal(spool_head(&s)->id, "a-3");
	put(&s, "a-5", 2500);        /* needs room for 2500: a-3 and a-4 go */
	assert_int_equal(s.dropped, 3);
	assert_int_equal(spool_depth(&s), 1);
	assert_true(s.bytes <= 3000);
	spool_close(&s);
}

/* The disk refuses the write (here: the spool directory is gone and a file
 * stands in its way, which fails for root too): the snapshot is kept in
 * memory and counted, and still delivered; the bound on memory holds. */
static void test_disk_refuses(void **state)
{
	(void)state;
	struct spool s;
	char err[256], sp[96], moved[112];
	assert_int_equal(spool_open(&s, dir, 64u << 20, err, sizeof(err)), 0);
	snprintf(sp, sizeof(sp), "%s/spool", dir);
	snprintf(moved, sizeof(moved), "%s/spool.away", dir);
	assert_int_equal(rename(sp, moved), 0);
	FILE *f = fopen(sp, "w");
	fclose(f);
	assert_int_equal(spool_put(&s, "m-1", "{}", 2), 1);
	assert_int_equal(s.write_failures, 1);
	char *b = head_body(&s);
	assert_string_equal(b, "{}");
	free(b);
	spool_pop_delivered(&s);
	/* memory fallback is bounded */
	char *big = calloc(1, SPOOL_MEM_MAX / 2 + 1);
	assert_int_equal(spool_put(&s, "m-2", big, SPOOL_MEM_MAX / 2 + 1), 1);
	assert_int_equal(spool_put(&s, "m-3", big, SPOOL_MEM_MAX / 2 + 1), -1);
	assert_int_equal(s.dropped, 1);
	free(big);
	spool_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_order_and_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bound_drops_oldest_not_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disk_refuses, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
