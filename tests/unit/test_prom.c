/* The prometheus:PATH output: exposition text from a snapshot, escaping of
 * hostile label values, atomic file replacement. */
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

#include "reporter/prom.h"

static const char *snap_text =
	"{\"messageType\":\"realtimeSnapshot\",\"serverId\":\"srv-1\","
	"\"metrics\":{\"cpu\":{\"percent\":12.5},"
	"\"memory\":{\"totalBytes\":8000,\"usedBytes\":3000,\"freeBytes\":4000,\"percentUsed\":50},"
	"\"disk\":[{\"mount\":\"/\",\"totalBytes\":100,\"usedBytes\":40,\"freeBytes\":55,\"percentUsed\":40}],"
	"\"uptimeSeconds\":3600},"
	"\"network\":{\"interfaces\":[{\"interfaceName\":\"eth0\",\"linkSpeedMbps\":1000,"
	"\"rxBytesTotal\":9007199254740993,\"txBytesTotal\":5}],"
	"\"connectedDevices\":["
	"{\"ip\":\"198.18.0.5\",\"mac\":\"02:00:00:00:00:05\",\"deviceName\":\"a\\\"b\\\\c\\nd\","
	"\"vendor\":\"ACME\",\"status\":\"active\",\"bandwidth\":{\"rxBytesTotal\":10,\"txBytesTotal\":20}},"
	"{\"ip\":\"198.18.0.6\",\"mac\":\"\",\"deviceName\":\"\",\"status\":\"inactive\","
	"\"bandwidth\":{\"rxBytesTotal\":0,\"txBytesTotal\":7}}],"
	"\"capture\":{\"packets\":3,\"bytes\":300,\"psDrop\":0,\"psIfdrop\":1,\"evictions\":0}},"
	"\"agent\":{\"version\":\"0.1.0\",\"helpers\":{\"capd\":{\"state\":\"connected\",\"records\":4},"
	"\"arpd\":{\"state\":\"missing\",\"records\":0}}}}";

static char *render(const char *text)
{
	json_error_t e;
	json_t *snap = json_loads(text, 0, &e);
	assert_non_null(snap);
	size_t len = 0;
	char *out = prom_render(snap, &len);
	assert_non_null(out);
	assert_int_equal(strlen(out), len);
	json_decref(snap);
	return out;
}

static void has_line(const char *text, const char *line)
{
	char want[512];
	snprintf(want, sizeof(want), "\n%s\n", line);
	if (!strstr(text, want) && strncmp(text, line, strlen(line)) != 0) {
		print_error("missing line: %s\n--- output:\n%s\n", line, text);
		fail();
	}
}

static void test_render_values_and_labels(void **state)
{
	(void)state;
	char *t = render(snap_text);
	has_line(t, "netmon_info{version=\"0.1.0\",server_id=\"srv-1\"} 1");
	has_line(t, "netmon_cpu_utilization_ratio 0.125");
	has_line(t, "netmon_memory_available_bytes 4000");
	has_line(t, "netmon_filesystem_free_bytes{mountpoint=\"/\"} 55");
	/* counters above 2^53 stay exact */
	has_line(t, "netmon_network_receive_bytes_total{interface=\"eth0\"} 9007199254740993");
	has_line(t, "netmon_network_speed_bytes{interface=\"eth0\"} 125000000");
	/* hostile name: quote, backslash, newline escaped; one family, two directions */
	has_line(t, "netmon_device_bytes_total{ip=\"198.18.0.5\",mac=\"02:00:00:00:00:05\","
		    "name=\"a\\\"b\\\\c\\nd\",vendor=\"ACME\",direction=\"rx\"} 10");
	has_line(t, "netmon_device_bytes_total{ip=\"198.18.0.6\",mac=\"\",name=\"\",vendor=\"\","
		    "direction=\"tx\"} 7");
	has_line(t, "netmon_device_active{ip=\"198.18.0.6\",mac=\"\",name=\"\",vendor=\"\"} 0");
	has_line(t, "netmon_capture_interface_drops_total 1");
	has_line(t, "netmon_helper_up{helper=\"capd\"} 1");
	has_line(t, "netmon_helper_up{helper=\"arpd\"} 0");
	/* one HELP/TYPE per family, even when rows share it */
	const char *p = strstr(t, "# TYPE netmon_device_bytes_total counter");
	assert_non_null(p);
	assert_null(strstr(p + 1, "# TYPE netmon_device_bytes_total"));
	/* every line is a comment or "name{labels} value" with no raw newline inside */
	for (char *line = t; *line;) {
		char *nl = strchr(line, '\n');
		assert_non_null(nl);
		assert_true(line[0] == '#' || (line[0] >= 'a' && line[0] <= 'z'));
		line = nl + 1;
	}
	free(t);
}

/* Fields a snapshot does not have yet (no sysd, no arpd) are left out, and
 * values of the wrong type never reach the text. */
static void test_missing_and_wrong_types(void **state)
{
	(void)state;
	char *t = render("{\"network\":{\"connectedDevices\":[{\"ip\":5,\"bandwidth\":"
			 "{\"rxBytesTotal\":\"x\",\"txBytesTotal\":1}}],\"capture\":[]},"
			 "\"metrics\":{\"cpu\":{\"percent\":null}}}");
	assert_null(strstr(t, "\nnetmon_cpu_utilization_ratio "));
	assert_null(strstr(t, "\nnetmon_memory_total_bytes "));
	assert_null(strstr(t, "direction=\"rx\"}"));
	has_line(t, "netmon_device_bytes_total{ip=\"\",mac=\"\",name=\"\",vendor=\"\",direction=\"tx\"} 1");
	free(t);
	t = render("[]");
	assert_null(strstr(t, "_total{"));
	assert_null(strstr(t, "\nnetmon_capture_packets_total "));
	free(t);
}

static void test_atomic_write(void **state)
{
	(void)state;
	char dir[] = "/tmp/netmon-prom-XXXXXX", path[256], tmp[300], buf[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/netmon.prom", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(prom_write_file(path, "a 1\n", 4), 0);
	assert_int_equal(prom_write_file(path, "b 2\n", 4), 0);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "b 2\n");
	assert_int_not_equal(access(tmp, F_OK), 0);      /* no temp file left */
	/* a symlink planted at the temp name is not followed */
	char victim[300];
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	f = fopen(victim, "w");
	assert_non_null(f);
	fputs("keep\n", f);
	fclose(f);
	assert_int_equal(symlink(victim, tmp), 0);
	assert_int_equal(prom_write_file(path, "c 3\n", 4), -1);
	f = fopen(victim, "r");
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "keep\n");
	unlink(tmp);
	unlink(victim);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_values_and_labels),
		cmocka_unit_test(test_missing_and_wrong_types),
		cmocka_unit_test(test_atomic_write),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
