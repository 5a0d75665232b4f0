/* Delivery: the API key file's checks, the backoff's bounds, and one
 * mechanism for http and otlp: (own spools, each body rendered at spool time). */
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
#include "reporter/snapshot.h"

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

static char *read_spool_head(struct spool *sp, size_t *len)
{
	char *body = NULL;
	assert_int_equal(spool_read_head(sp, &body, len), 0);
	return body;
}

static void test_channels_spool_their_own_bodies(void **state)
{
	(void)state;
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "/tmp/nmt-dlv.XXXXXX");
	assert_non_null(mkdtemp(tmp));
	struct netmon_config cfg;
	config_defaults(&cfg);
	snprintf(cfg.state_dir, sizeof(cfg.state_dir), "%s", tmp);
	snprintf(cfg.api_url, sizeof(cfg.api_url), "http://198.18.0.1/");
	cfg.n_outputs = 3;
	cfg.outputs[0].kind = OUTPUT_OTLP;
	snprintf(cfg.outputs[0].path, sizeof(cfg.outputs[0].path), "http://198.18.0.1:4318/v1/metrics");
	cfg.outputs[1].kind = OUTPUT_STDOUT;
	cfg.outputs[2].kind = OUTPUT_HTTP;
	assert_true(delivery_wanted(&cfg));

	struct delivery d;
	char err[256];
	assert_int_equal(delivery_open(&d, &cfg, "k", err, sizeof(err)), 0);
	assert_int_equal(d.n, 2);
	struct delivery_channel *http = delivery_channel(&d, OUTPUT_HTTP);
	struct delivery_channel *otlp = delivery_channel(&d, OUTPUT_OTLP);
	assert_non_null(http);
	assert_non_null(otlp);
	assert_string_equal(otlp->url, "http://198.18.0.1:4318/v1/metrics");
	char want[128];
	snprintf(want, sizeof(want), "%s/otlp/spool", tmp);
	assert_string_equal(otlp->spool.dir, want);
	snprintf(want, sizeof(want), "%s/spool", tmp);
	assert_string_equal(http->spool.dir, want);

	static const char payload[] = "{\"serverId\":\"s\",\"snapshotTime\":\"2026-11-30T12:00:05.000Z\","
		"\"snapshotId\":\"x\",\"metrics\":{\"cpu\":{\"percent\":5}},\"agent\":{\"version\":\"1\"}}";
	struct snapshot_line line = { .text = payload, .len = sizeof(payload) - 1 };
	delivery_enqueue(&d, "0000000a-0000-4000-8000-000000000001", &line);
	snapshot_line_release(&line);
	assert_int_equal(spool_depth(&http->spool), 1);
	assert_int_equal(spool_depth(&otlp->spool), 1);
	size_t len;
	char *body = read_spool_head(&http->spool, &len);
	assert_int_equal(len, sizeof(payload) - 1);
	assert_memory_equal(body, payload, len);   /* http: the payload as it is */
	free(body);
	body = read_spool_head(&otlp->spool, &len);
	json_t *req = json_loadb(body, len, 0, NULL);   /* otlp: the request, rendered now */
	assert_non_null(req);
	assert_non_null(json_object_get(req, "resourceMetrics"));
	assert_non_null(strstr(body, "\"system.cpu.utilization\""));
	json_decref(req);
	free(body);

	/* a payload otlp cannot render goes to http only */
	struct snapshot_line bad = { .text = "{}", .len = 2 };
	delivery_enqueue(&d, "0000000a-0000-4000-8000-000000000002", &bad);
	snapshot_line_release(&bad);
	assert_int_equal(spool_depth(&http->spool), 2);
	assert_int_equal(spool_depth(&otlp->spool), 1);
	assert_int_equal(delivery_timeout_ms(&d, 0), 0);   /* both have something due */
	delivery_close(&d);

	/* a restart finds both spools again, in order */
	assert_int_equal(delivery_open(&d, &cfg, "", err, sizeof(err)), 0);
	assert_int_equal(spool_depth(&delivery_channel(&d, OUTPUT_HTTP)->spool), 2);
	assert_int_equal(spool_depth(&delivery_channel(&d, OUTPUT_OTLP)->spool), 1);
	delivery_close(&d);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_key_file, setup, teardown),
		cmocka_unit_test(test_key_env),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_channels_spool_their_own_bodies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
