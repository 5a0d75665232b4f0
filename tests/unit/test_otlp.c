/* The otlp: body: OTLP/JSON shape, start times, grouping, exact integers.
 * (tests/outputs/t_otlp_proto.sh decodes it with the official protobuf
 * definitions; this test needs no network.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sums_gauges_and_times),
		cmocka_unit_test(test_bad_time_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
