#include "metricmap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textbuf.h"

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

const char *const metric_dev_str_fields[MDEV_NSTR] = {
	[MDEV_IP] = "ip", [MDEV_MAC] = "mac", [MDEV_NAME] = "deviceName",
	[MDEV_VENDOR] = "vendor", [MDEV_STATUS] = "status",
};
const char *const metric_dev_num_fields[MDEV_NNUM] = {
	[MDEV_RX_BYTES] = "bandwidth.rxBytesTotal", [MDEV_TX_BYTES] = "bandwidth.txBytesTotal",
	[MDEV_RX_PACKETS] = "bandwidth.rxPacketsTotal", [MDEV_TX_PACKETS] = "bandwidth.txPacketsTotal",
};

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

/* ---- the device view ---------------------------------------------------- */

int metric_devices_reset(struct metric_devices *d, size_t n)
{
	d->n = 0;
	if (n <= d->cap)
		return 0;
	struct metric_device *v = realloc(d->v, n * sizeof(*v));
	if (!v)
		return -1;
	d->v = v;
	d->cap = n;
	return 0;
}

struct metric_device *metric_devices_add(struct metric_devices *d)
{
	if (d->n >= d->cap)
		return NULL;
	struct metric_device *m = &d->v[d->n++];
	memset(m, 0, sizeof(*m));
	return m;
}

void metric_str_set(struct metric_str *v, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	v->s = s;
	v->plain = true;
	for (; p && *p; p++)
		if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\')
			v->plain = false;
	v->len = s ? (size_t)((const char *)p - s) : 0;
}

static void device_from_json(struct metric_device *m, const json_t *e)
{
	for (int k = 0; k < MDEV_NSTR; k++)
		metric_str_set(&m->str[k], json_string_value(metric_field(e, metric_dev_str_fields[k])));
	for (int k = 0; k < MDEV_NNUM; k++) {
		const json_t *v = metric_field(e, metric_dev_num_fields[k]);
		if (json_is_integer(v))
			m->num[k] = (struct metric_num){ MNUM_INT, { .i = json_integer_value(v) } };
		else if (json_is_real(v))
			m->num[k] = (struct metric_num){ MNUM_REAL, { .d = json_real_value(v) } };
	}
}

int metric_devices_from_json(struct metric_devices *d, const json_t *snap)
{
	const json_t *set = metric_field(snap, METRIC_DEVICES);
	size_t n = json_is_array(set) ? json_array_size(set) : json_is_object(set) ? json_object_size(set) : 0;
	if (metric_devices_reset(d, n ? n : 1) != 0)
		return -1;
	if (json_is_array(set)) {
		size_t i;
		const json_t *e;
		json_array_foreach(set, i, e)
			device_from_json(metric_devices_add(d), e);
	} else if (json_is_object(set)) {
		const char *k;
		const json_t *e;
		json_object_foreach((json_t *)set, k, e)
			device_from_json(metric_devices_add(d), e);
	}
	return 0;
}

void metric_devices_free(struct metric_devices *d)
{
	free(d->v);
	*d = (struct metric_devices){ 0 };
}

/* ---- samples -------------------------------------------------------------- */

/* The value of a number field, scaled: false when it is no finite number. */
static bool scaled(struct metric_point *p, bool is_int, int64_t i, double d, double scale)
{
	p->exact = is_int && scale == 1;
	p->i = i;
	p->d = (is_int ? (double)i : d) * scale;
	return isfinite(p->d);
}

/* A real as the payload line carries it. */
static double payload_real(double v)
{
	char t[40];
	snprintf(t, sizeof(t), "%.*g", PAYLOAD_REAL_DIGITS, v);
	return strtod(t, NULL);
}

/* A row over the JSON snapshot (every row but the device rows). */
static bool json_sample(const struct metric_row *r, const json_t *elem, struct metric_point *p)
{
	p->exact = false;
	if (!r->value) {
		p->d = 1;
		return true;
	}
	const json_t *v = metric_field(elem, r->value);
	if (r->equals) {
		if (!json_is_string(v))
			return false;
		p->d = strcmp(json_string_value(v), r->equals) == 0;
		return true;
	}
	if (!json_is_number(v))
		return false;
	return scaled(p, json_is_integer(v), json_is_integer(v) ? json_integer_value(v) : 0,
		      json_is_real(v) ? payload_real(json_real_value(v)) : 0, r->scale);
}

static const char *json_label(const struct metric_label *l, const json_t *elem, const char *key,
			      bool otel)
{
	const char *fixed = otel ? l->otel_value : l->prom_value;
	if (fixed)
		return fixed;
	if (!l->path)
		return key ? key : "";
	const json_t *s = metric_field(elem, l->path);
	return json_is_string(s) ? json_string_value(s) : "";
}

static void json_point(const struct metric_row *r, const json_t *elem, const char *key, bool otel,
		       void (*fn)(const struct metric_point *, void *), void *ctx)
{
	struct metric_point p = { .dev = SIZE_MAX };
	if (!json_sample(r, elem, &p))
		return;
	for (int k = 0; k < METRIC_MAX_LABELS; k++) {
		const struct metric_label *l = &r->labels[k];
		metric_str_set(&p.label[k], (otel ? l->otel : l->prom) ? json_label(l, elem, key, otel) : NULL);
	}
	fn(&p, ctx);
}

static int field_index(const char *const *fields, int n, const char *path)
{
	for (int k = 0; path && k < n; k++)
		if (strcmp(fields[k], path) == 0)
			return k;
	return -1;
}

/* A device row: its fields looked up once, then a tight loop over the view. */
static void device_points(const struct metric_row *r, const struct metric_devices *devs, bool otel,
			  void (*fn)(const struct metric_point *, void *), void *ctx)
{
	static const struct metric_str empty = { "", 0, true };
	int str_of_label[METRIC_MAX_LABELS];
	struct metric_point p = { 0 };
	for (int k = 0; k < METRIC_MAX_LABELS; k++) {
		const struct metric_label *l = &r->labels[k];
		const char *name = otel ? l->otel : l->prom;
		const char *fixed = otel ? l->otel_value : l->prom_value;
		str_of_label[k] = -1;
		if (!name)
			metric_str_set(&p.label[k], NULL);
		else if (fixed)
			metric_str_set(&p.label[k], fixed);
		else if ((str_of_label[k] = field_index(metric_dev_str_fields, MDEV_NSTR, l->path)) < 0)
			metric_str_set(&p.label[k], "");   /* a field the view lacks: test_metrics_direct fails */
	}
	int vnum = -1, vstr = -1;
	if (r->value && r->equals)
		vstr = field_index(metric_dev_str_fields, MDEV_NSTR, r->value);
	else if (r->value)
		vnum = field_index(metric_dev_num_fields, MDEV_NNUM, r->value);
	if (r->value && vnum < 0 && vstr < 0)
		return;
	for (size_t i = 0; devs && i < devs->n; i++) {
		const struct metric_device *m = &devs->v[i];
		if (vstr >= 0) {
			if (!m->str[vstr].s)
				continue;
			p.exact = false;
			p.d = strcmp(m->str[vstr].s, r->equals) == 0;
		} else if (vnum >= 0) {
			const struct metric_num *v = &m->num[vnum];
			if (v->kind == MNUM_NONE ||
			    !scaled(&p, v->kind == MNUM_INT, v->kind == MNUM_INT ? v->v.i : 0,
				    v->kind == MNUM_REAL ? v->v.d : 0, r->scale))
				continue;
		} else {
			p.exact = false;
			p.d = 1;
		}
		for (int k = 0; k < METRIC_MAX_LABELS; k++)
			if (str_of_label[k] >= 0)
				p.label[k] = m->str[str_of_label[k]].s ? m->str[str_of_label[k]] : empty;
		p.dev = i;
		fn(&p, ctx);
	}
}

void metric_points(const struct metric_row *r, const struct metric_source *src, bool otel,
		   void (*fn)(const struct metric_point *p, void *ctx), void *ctx)
{
	if (!r->each) {
		json_point(r, src->snap, NULL, otel, fn, ctx);
		return;
	}
	if (strcmp(r->each, METRIC_DEVICES) == 0) {
		device_points(r, src->devices, otel, fn, ctx);
		return;
	}
	const json_t *set = metric_field(src->snap, r->each);
	if (json_is_array(set)) {
		size_t i;
		const json_t *e;
		json_array_foreach(set, i, e)
			json_point(r, e, NULL, otel, fn, ctx);
	} else if (json_is_object(set)) {
		const char *k;
		const json_t *e;
		json_object_foreach((json_t *)set, k, e)
			json_point(r, e, k, otel, fn, ctx);
	}
}

char *metric_render_json(const json_t *snap, size_t *len,
			 bool (*render)(struct textbuf *b, const struct metric_source *src))
{
	struct metric_devices devs = { 0 };
	struct textbuf b = { 0 };
	const struct metric_source src = { snap, &devs };
	bool ok = metric_devices_from_json(&devs, snap) == 0 && render(&b, &src);
	metric_devices_free(&devs);
	tb_put(&b, "", 1);   /* the NUL */
	if (!ok || b.failed) {
		tb_free(&b);
		return NULL;
	}
	*len = b.len - 1;
	return b.p;
}
