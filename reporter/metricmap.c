#include "metricmap.h"

#include <math.h>
#include <string.h>

#define L(p, o, path) { p, o, path, NULL, NULL }
#define DEV_LABELS(p, o) { L("ip", "netmon.device.ip", "ip"), L("mac", "netmon.device.mac", "mac"), \
	L("name", "netmon.device.name", "deviceName"), L("vendor", "netmon.device.vendor", "vendor"), \
	{ "direction", "network.io.direction", NULL, p, o } }
#define DEVS "network.connectedDevices"
#define IFACE { L("interface", "network.interface.name", "interfaceName") }
#define IFACES "network.interfaces"
#define MOUNT L("mountpoint", "system.filesystem.mountpoint", "mount")
#define HELPER { L("helper", "netmon.helper", NULL) }
#define HELPERS "agent.helpers"
/* only the POSTing outputs (http, otlp) have these fields, and at most one of each */
#define OUTPUT { L("output", "netmon.output", "output") }
#define OUTPUTS "agent.outputs"

/* Rows with the same Prometheus name are one family and must be adjacent;
 * so must rows with the same OTel name (one Metric, several data points). */
const struct metric_row metric_rows[] = {
	{ "netmon_info", NULL, "netmon agent version and server id; always 1", "1",
	  METRIC_GAUGE, START_NONE, NULL, NULL, 1, NULL,
	  { L("version", NULL, "agent.version"), L("server_id", NULL, "serverId") } },
	{ "netmon_cpu_utilization_ratio", "system.cpu.utilization",
	  "CPU busy fraction over the last cycle, all CPUs (0-1)", "1",
	  METRIC_GAUGE, START_NONE, NULL, "metrics.cpu.percent", 0.01, NULL, { { 0 } } },
	{ "netmon_memory_total_bytes", "system.memory.limit", "Physical memory", "By",
	  METRIC_UPDOWN, START_BOOT, NULL, "metrics.memory.totalBytes", 1, NULL, { { 0 } } },
	{ "netmon_memory_used_bytes", "system.memory.usage",
	  "Memory used: total - free - buffers - cache (psutil's meaning)", "By",
	  METRIC_UPDOWN, START_BOOT, NULL, "metrics.memory.usedBytes", 1, NULL,
	  { { NULL, "system.memory.state", NULL, NULL, "used" } } },
	{ "netmon_memory_available_bytes", "netmon.memory.available",
	  "Memory available for new work without swapping (MemAvailable)", "By",
	  METRIC_UPDOWN, START_BOOT, NULL, "metrics.memory.freeBytes", 1, NULL, { { 0 } } },
	{ "netmon_system_uptime_seconds", "system.uptime", "Seconds since the host booted", "s",
	  METRIC_GAUGE, START_NONE, NULL, "metrics.uptimeSeconds", 1, NULL, { { 0 } } },
	{ "netmon_filesystem_size_bytes", "system.filesystem.limit",
	  "Filesystem size (f_blocks x f_frsize)", "By",
	  METRIC_UPDOWN, START_BOOT, "metrics.disk", "totalBytes", 1, NULL, { MOUNT } },
	{ "netmon_filesystem_used_bytes", "system.filesystem.usage",
	  "Filesystem space used, as df", "By",
	  METRIC_UPDOWN, START_BOOT, "metrics.disk", "usedBytes", 1, NULL,
	  { MOUNT, { NULL, "system.filesystem.state", NULL, NULL, "used" } } },
	{ "netmon_filesystem_free_bytes", "system.filesystem.usage",
	  "Filesystem space available to unprivileged users, as df", "By",
	  METRIC_UPDOWN, START_BOOT, "metrics.disk", "freeBytes", 1, NULL,
	  { MOUNT, { NULL, "system.filesystem.state", NULL, NULL, "free" } } },
	{ "netmon_network_receive_bytes_total", "system.network.io",
	  "Bytes received by the interface since boot", "By",
	  METRIC_COUNTER, START_BOOT, IFACES, "rxBytesTotal", 1, NULL,
	  { L("interface", "network.interface.name", "interfaceName"),
	    { NULL, "network.io.direction", NULL, NULL, "receive" } } },
	{ "netmon_network_transmit_bytes_total", "system.network.io",
	  "Bytes sent by the interface since boot", "By",
	  METRIC_COUNTER, START_BOOT, IFACES, "txBytesTotal", 1, NULL,
	  { L("interface", "network.interface.name", "interfaceName"),
	    { NULL, "network.io.direction", NULL, NULL, "transmit" } } },
	{ "netmon_network_speed_bytes", "netmon.network.speed",
	  "Link speed in bytes per second (0 unknown)", "By/s",
	  METRIC_GAUGE, START_NONE, IFACES, "linkSpeedMbps", 125000, NULL, IFACE },
	{ "netmon_device_bytes_total", "netmon.device.io",
	  "Frame bytes to (rx) and from (tx) a local device, counted by packet capture", "By",
	  METRIC_COUNTER, START_TOTALS, DEVS, "bandwidth.rxBytesTotal", 1, NULL,
	  DEV_LABELS("rx", "receive") },
	{ "netmon_device_bytes_total", "netmon.device.io", NULL, "By",
	  METRIC_COUNTER, START_TOTALS, DEVS, "bandwidth.txBytesTotal", 1, NULL,
	  DEV_LABELS("tx", "transmit") },
	{ "netmon_device_packets_total", "netmon.device.packets",
	  "Frames to (rx) and from (tx) a local device", "{packet}",
	  METRIC_COUNTER, START_TOTALS, DEVS, "bandwidth.rxPacketsTotal", 1, NULL,
	  DEV_LABELS("rx", "receive") },
	{ "netmon_device_packets_total", "netmon.device.packets", NULL, "{packet}",
	  METRIC_COUNTER, START_TOTALS, DEVS, "bandwidth.txPacketsTotal", 1, NULL,
	  DEV_LABELS("tx", "transmit") },
	{ "netmon_device_active", "netmon.device.active",
	  "1 while the device is active, 0 when inactive", "1",
	  METRIC_GAUGE, START_NONE, DEVS, "status", 1, "active",
	  { L("ip", "netmon.device.ip", "ip"), L("mac", "netmon.device.mac", "mac"),
	    L("name", "netmon.device.name", "deviceName"),
	    L("vendor", "netmon.device.vendor", "vendor") } },
	{ "netmon_capture_packets_total", "netmon.capture.packets", "Frames capd accounted",
	  "{packet}", METRIC_COUNTER, START_TOTALS, NULL, "network.capture.packets", 1, NULL,
	  { { 0 } } },
	{ "netmon_capture_bytes_total", "netmon.capture.io",
	  "Wire bytes of the frames capd accounted", "By",
	  METRIC_COUNTER, START_TOTALS, NULL, "network.capture.bytes", 1, NULL, { { 0 } } },
	{ "netmon_capture_kernel_drops_total", "netmon.capture.drops",
	  "Frames the kernel dropped because the capture ring was full", "{packet}",
	  METRIC_COUNTER, START_TOTALS, NULL, "network.capture.psDrop", 1, NULL,
	  { { NULL, "netmon.drop.reason", NULL, NULL, "ring_full" } } },
	{ "netmon_capture_interface_drops_total", "netmon.capture.drops",
	  "Frames the interface dropped", "{packet}",
	  METRIC_COUNTER, START_TOTALS, NULL, "network.capture.psIfdrop", 1, NULL,
	  { { NULL, "netmon.drop.reason", NULL, NULL, "interface" } } },
	{ "netmon_capture_evictions_total", "netmon.capture.evictions",
	  "capd table entries evicted because max_devices was reached", "{entry}",
	  METRIC_COUNTER, START_TOTALS, NULL, "network.capture.evictions", 1, NULL, { { 0 } } },
	{ "netmon_helper_up", "netmon.helper.up", "1 while the helper is connected and reporting",
	  "1", METRIC_GAUGE, START_NONE, HELPERS, "state", 1, "connected", HELPER },
	{ "netmon_helper_records_total", "netmon.helper.records", "Records received from the helper",
	  "{record}", METRIC_COUNTER, START_REPORTER, HELPERS, "records", 1, NULL, HELPER },
	{ "netmon_helper_send_drops_total", "netmon.helper.send_drops",
	  "Records the helper could not send because its socket was full", "{record}",
	  METRIC_COUNTER, START_REPORTER, HELPERS, "sendDrops", 1, NULL, HELPER },
	{ "netmon_helper_rejected_peers_total", "netmon.helper.rejected_peers",
	  "Connections refused on the helper's socket", "{connection}",
	  METRIC_COUNTER, START_REPORTER, HELPERS, "rejectedPeers", 1, NULL, HELPER },
	{ "netmon_output_spool_snapshots", "netmon.output.spool.depth",
	  "Snapshots waiting in the output's spool for a 2xx (http, otlp)", "{snapshot}",
	  METRIC_GAUGE, START_NONE, OUTPUTS, "spoolDepth", 1, NULL, OUTPUT },
	{ "netmon_output_delivered_total", "netmon.output.delivered",
	  "Snapshots the output's endpoint accepted (http, otlp)", "{snapshot}",
	  METRIC_COUNTER, START_TOTALS, OUTPUTS, "delivered", 1, NULL, OUTPUT },
	{ "netmon_output_send_failures_total", "netmon.output.send_failures",
	  "POST attempts that did not end in a 2xx (http, otlp)", "{request}",
	  METRIC_COUNTER, START_TOTALS, OUTPUTS, "sendFailures", 1, NULL, OUTPUT },
	{ "netmon_output_dropped_snapshots_total", "netmon.output.dropped",
	  "Snapshots dropped because the output's spool was full (http, otlp)", "{snapshot}",
	  METRIC_COUNTER, START_TOTALS, OUTPUTS, "droppedSnapshots", 1, NULL, OUTPUT },
	{ "netmon_output_dead_lettered_total", "netmon.output.dead_lettered",
	  "Snapshots the output's endpoint refused for good (http, otlp)", "{snapshot}",
	  METRIC_COUNTER, START_TOTALS, OUTPUTS, "deadLettered", 1, NULL, OUTPUT },
	{ "netmon_output_rejected_points_total", "netmon.output.rejected_points",
	  "Data points an OTLP endpoint rejected in partial successes (otlp)", "{point}",
	  METRIC_COUNTER, START_TOTALS, OUTPUTS, "rejectedDataPoints", 1, NULL, OUTPUT },
};
const size_t metric_rows_n = sizeof(metric_rows) / sizeof(metric_rows[0]);

const json_t *metric_field(const json_t *obj, const char *path)
{
	char key[64];

	while (obj && path && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof(key) || !json_is_object(obj))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		obj = json_object_get(obj, key);
		path = dot ? dot + 1 : NULL;
	}
	return obj;
}

bool metric_sample(const struct metric_row *r, const json_t *elem, double *d, const json_t **raw)
{
	*raw = NULL;
	if (!r->value) {
		*d = 1;
		return true;
	}
	const json_t *v = metric_field(elem, r->value);
	if (r->equals) {
		if (!json_is_string(v))
			return false;
		*d = strcmp(json_string_value(v), r->equals) == 0;
		return true;
	}
	if (!json_is_number(v))
		return false;
	*d = json_number_value(v) * r->scale;
	if (!isfinite(*d))
		return false;
	if (json_is_integer(v) && r->scale == 1)
		*raw = v;
	return true;
}

const char *metric_label_value(const struct metric_label *l, const json_t *elem,
			       const char *key, bool otel)
{
	const char *fixed = otel ? l->otel_value : l->prom_value;
	if (fixed)
		return fixed;
	if (!l->path)
		return key ? key : "";
	const json_t *s = metric_field(elem, l->path);
	return json_is_string(s) ? json_string_value(s) : "";
}

void metric_foreach(const struct metric_row *r, const json_t *snap,
		    void (*fn)(const json_t *elem, const char *key, void *ctx), void *ctx)
{
	if (!r->each) {
		fn(snap, NULL, ctx);
		return;
	}
	const json_t *set = metric_field(snap, r->each);
	if (json_is_array(set)) {
		size_t i;
		const json_t *e;
		json_array_foreach(set, i, e)
			fn(e, NULL, ctx);
	} else if (json_is_object(set)) {
		const char *k;
		const json_t *e;
		json_object_foreach((json_t *)set, k, e)
			fn(e, k, ctx);
	}
}
