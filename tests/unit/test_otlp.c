/* The otlp: body: OTLP/JSON shape, start times, grouping, exact integers.
 * (tests/outputs/t_otlp_proto.sh decodes it with the official protobuf
 * definitions; this test needs no network.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reporter/metricmap.h"
#include "reporter/otlp.h"

static json_t *build(const char *text)
{
	json_error_t e;
	json_t *snap = json_loads(text, 0, &e);
	assert_non_null(snap);
	json_t *req = otlp_build(snap);
	json_decref(snap);
	return req;
}

static const json_t *metric(const json_t *req, const char *name)
{
	const json_t *ms = metric_field(json_array_get(metric_field(json_array_get(
		metric_field(req, "resourceMetrics"), 0), "scopeMetrics"), 0), "metrics");
	size_t i;
	const json_t *m;
	json_array_foreach(ms, i, m)
		if (strcmp(json_string_value(json_object_get(m, "name")), name) == 0)
			return m;
	return NULL;
}

static void test_sums_gauges_and_times(void **state)
{
	(void)state;
	json_t *req = build(
		"{\"serverId\":\"h1\",\"snapshotTime\":\"2026-11-30T12:00:05.250Z\","
		"\"metrics\":{\"cpu\":{\"percent\":50},\"uptimeSeconds\":100},"
		"\"network\":{\"interfaces\":[{\"interfaceName\":\"eth0\",\"rxBytesTotal\":9007199254740993,"
		"\"txBytesTotal\":1}],\"connectedDevices\":[{\"ip\":\"198.18.0.5\",\"mac\":\"m\","
		"\"deviceName\":\"n\",\"status\":\"active\",\"bandwidth\":{\"rxBytesTotal\":10,"
		"\"txBytesTotal\":20}}]},"
		"\"agent\":{\"version\":\"9\",\"uptimeSeconds\":5,\"totalsSince\":\"2026-11-29T00:00:00.000Z\"}}");
	assert_non_null(req);
	const json_t *cpu = metric(req, "system.cpu.utilization");
	assert_non_null(metric_field(cpu, "gauge"));
	const json_t *p = json_array_get(metric_field(cpu, "gauge.dataPoints"), 0);
	assert_true(json_real_value(json_object_get(p, "asDouble")) == 0.5);
	assert_string_equal(json_string_value(json_object_get(p, "timeUnixNano")), "1796040005250000000");
	assert_null(json_object_get(p, "startTimeUnixNano"));      /* gauges have none */

	/* one metric, both directions; exact 64-bit value as a string; boot start */
	const json_t *io = metric(req, "system.network.io");
	assert_int_equal(json_integer_value(metric_field(io, "sum.aggregationTemporality")), 2);
	assert_true(json_is_true(metric_field(io, "sum.isMonotonic")));
	assert_int_equal(json_array_size(metric_field(io, "sum.dataPoints")), 2);
	p = json_array_get(metric_field(io, "sum.dataPoints"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "asInt")), "9007199254740993");
	assert_string_equal(json_string_value(json_object_get(p, "startTimeUnixNano")), "1796039905250000000");

	/* netmon's totals start at totalsSince, not at the reporter's start */
	const json_t *dev = metric(req, "netmon.device.io");
	p = json_array_get(metric_field(dev, "sum.dataPoints"), 1);
	assert_string_equal(json_string_value(json_object_get(p, "startTimeUnixNano")), "1795910400000000000");
	assert_string_equal(json_string_value(json_object_get(p, "asInt")), "20");

	/* no data point, no metric */
	assert_null(metric(req, "system.memory.usage"));
	json_decref(req);
}

static void test_bad_time_refused(void **state)
{
	(void)state;
	assert_null(build("{\"snapshotTime\":\"2026-11-30 12:00:05\"}"));
	assert_null(build("{\"snapshotTime\":\"2026-11-30T12:00:05.250Zx\"}"));
	assert_null(build("{}"));
}

/* The partial-success answer: counted, message made printable; anything
 * else (full success, empty, junk, wrong types, too long) is not partial. */
static void test_partial_success(void **state)
{
	(void)state;
	uint64_t n;
	char msg[16];
	const char *b = "{\"partialSuccess\":{\"rejectedDataPoints\":\"42\",\"errorMessage\":\"bad\\nunit\"}}";
	assert_int_equal(otlp_partial_success(b, strlen(b), &n, msg, sizeof(msg)), 1);
	assert_true(n == 42);
	assert_string_equal(msg, "bad?unit");
	b = "{\"partialSuccess\":{\"rejectedDataPoints\":7}}";
	assert_int_equal(otlp_partial_success(b, strlen(b), &n, msg, sizeof(msg)), 1);
	assert_true(n == 7);
	assert_string_equal(msg, "");
	b = "{\"partialSuccess\":{\"errorMessage\":\"a very long message that is cut\"}}";
	assert_int_equal(otlp_partial_success(b, strlen(b), &n, msg, sizeof(msg)), 1);
	assert_true(n == 0);
	assert_string_equal(msg, "a very long mes");
	const char *none[] = { "", "{}", "{\"partialSuccess\":{}}", "null", "[1]", "{\"partialSuccess\":3}",
			       "{\"partialSuccess\":{\"rejectedDataPoints\":\"-1\"}}",
			       "{\"partialSuccess\":{\"rejectedDataPoints\":-5}}",
			       "{\"partialSuccess\":{\"rejectedDataPoints\":\"12x\"}}",
			       "{\"partialSuccess\":{\"rejectedDataPoints\":\"0\",\"errorMessage\":\"\"}}",
			       "{\"partialSuccess\":{\"rejectedDataPoints\":1}", "\xff\xfe" };
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		assert_int_equal(otlp_partial_success(none[i], strlen(none[i]), &n, msg, sizeof(msg)), 0);
		assert_true(n == 0);
	}
	/* not NUL-terminated: only len bytes are read */
	b = "{\"partialSuccess\":{\"rejectedDataPoints\":3}}GARBAGE";
	assert_int_equal(otlp_partial_success(b, strlen(b) - 7, &n, msg, sizeof(msg)), 1);
	/* over the bound: not parsed at all */
	char *big = malloc(OTLP_RESPONSE_MAX + 2);
	memset(big, ' ', OTLP_RESPONSE_MAX + 1);
	memcpy(big, "{\"partialSuccess\":{\"rejectedDataPoints\":3}}", 43);
	assert_int_equal(otlp_partial_success(big, OTLP_RESPONSE_MAX, &n, msg, sizeof(msg)), 1);
	assert_int_equal(otlp_partial_success(big, OTLP_RESPONSE_MAX + 1, &n, msg, sizeof(msg)), 0);
	free(big);
}

/* otlp_render: the spooled body is the compact request of the payload line. */
static void test_render(void **state)
{
	(void)state;
	const char *line = "{\"serverId\":\"s\",\"snapshotTime\":\"2026-11-30T12:00:05.000Z\","
			   "\"metrics\":{\"cpu\":{\"percent\":5}},\"agent\":{\"version\":\"1\"}}";
	size_t len = 0;
	char *t = otlp_render(line, strlen(line), &len);
	assert_non_null(t);
	assert_int_equal(strlen(t), len);
	assert_non_null(strstr(t, "\"system.cpu.utilization\""));
	assert_null(strchr(t, '\n'));
	free(t);
	assert_null(otlp_render("{", 1, &len));
	assert_null(otlp_render("{}", 2, &len));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sums_gauges_and_times),
		cmocka_unit_test(test_bad_time_refused),
		cmocka_unit_test(test_partial_success),
		cmocka_unit_test(test_render),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
