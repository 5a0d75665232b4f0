#include "prom.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A label: its name and the field of the element (or a fixed value). */
struct prom_label {
	const char *name;
	const char *path;        /* field inside the array element / object */
	const char *fixed;       /* or a constant value (e.g. direction) */
};

#define MAX_LABELS 5

/*
 * One row per sample source. Consecutive rows with the same metric name form
 * one family (one HELP/TYPE header). `each` names an array (or an object, for
 * helpers) whose elements give one sample each; `value` is the field holding
 * the number, scaled by `scale`; with `equals`, the sample is 1 when the field
 * is that string and 0 otherwise; with no `value`, the sample is 1 (an info
 * metric whose labels carry the data).
 */
struct prom_row {
	const char *metric, *type, *help;
	const char *each;
	const char *value;
	double scale;
	const char *equals;
	struct prom_label labels[MAX_LABELS];
};

#define DEV_LABELS(dir) { { "ip", "ip", NULL }, { "mac", "mac", NULL }, \
	{ "name", "deviceName", NULL }, { "vendor", "vendor", NULL }, { "direction", NULL, dir } }

static const struct prom_row rows[] = {
	{ "netmon_info", "gauge", "netmon agent version and server id; always 1",
	  NULL, NULL, 1, NULL, { { "version", "agent.version", NULL }, { "server_id", "serverId", NULL } } },
	{ "netmon_cpu_utilization_ratio", "gauge", "CPU busy fraction over the last cycle, all CPUs (0-1)",
	  NULL, "metrics.cpu.percent", 0.01, NULL, { { 0 } } },
	{ "netmon_memory_total_bytes", "gauge", "Physical memory",
	  NULL, "metrics.memory.totalBytes", 1, NULL, { { 0 } } },
	{ "netmon_memory_used_bytes", "gauge", "Memory used (total - free - buffers - cache), as psutil",
	  NULL, "metrics.memory.usedBytes", 1, NULL, { { 0 } } },
	{ "netmon_memory_available_bytes", "gauge", "MemAvailable",
	  NULL, "metrics.memory.freeBytes", 1, NULL, { { 0 } } },
	{ "netmon_system_uptime_seconds", "gauge", "Seconds since the host booted",
	  NULL, "metrics.uptimeSeconds", 1, NULL, { { 0 } } },
	{ "netmon_filesystem_size_bytes", "gauge", "Filesystem size (f_blocks * f_frsize)",
	  "metrics.disk", "totalBytes", 1, NULL, { { "mountpoint", "mount", NULL } } },
	{ "netmon_filesystem_used_bytes", "gauge", "Filesystem space used, as df",
	  "metrics.disk", "usedBytes", 1, NULL, { { "mountpoint", "mount", NULL } } },
	{ "netmon_filesystem_free_bytes", "gauge", "Filesystem space available to unprivileged users, as df",
	  "metrics.disk", "freeBytes", 1, NULL, { { "mountpoint", "mount", NULL } } },
	{ "netmon_network_receive_bytes_total", "counter", "Bytes received by the interface since boot",
	  "network.interfaces", "rxBytesTotal", 1, NULL, { { "interface", "interfaceName", NULL } } },
	{ "netmon_network_transmit_bytes_total", "counter", "Bytes sent by the interface since boot",
	  "network.interfaces", "txBytesTotal", 1, NULL, { { "interface", "interfaceName", NULL } } },
	{ "netmon_network_speed_bytes", "gauge", "Link speed in bytes per second (0 unknown)",
	  "network.interfaces", "linkSpeedMbps", 125000, NULL, { { "interface", "interfaceName", NULL } } },
	{ "netmon_device_bytes_total", "counter",
	  "Frame bytes to (rx) and from (tx) a local device, counted by packet capture",
	  "network.connectedDevices", "bandwidth.rxBytesTotal", 1, NULL, DEV_LABELS("rx") },
	{ "netmon_device_bytes_total", NULL, NULL,
	  "network.connectedDevices", "bandwidth.txBytesTotal", 1, NULL, DEV_LABELS("tx") },
	{ "netmon_device_packets_total", "counter", "Frames to (rx) and from (tx) a local device",
	  "network.connectedDevices", "bandwidth.rxPacketsTotal", 1, NULL, DEV_LABELS("rx") },
	{ "netmon_device_packets_total", NULL, NULL,
	  "network.connectedDevices", "bandwidth.txPacketsTotal", 1, NULL, DEV_LABELS("tx") },
	{ "netmon_device_active", "gauge", "1 while the device is active, 0 when inactive",
	  "network.connectedDevices", "status", 1, "active",
	  { { "ip", "ip", NULL }, { "mac", "mac", NULL }, { "name", "deviceName", NULL },
	    { "vendor", "vendor", NULL } } },
	{ "netmon_capture_packets_total", "counter", "Frames capd accounted",
	  NULL, "network.capture.packets", 1, NULL, { { 0 } } },
	{ "netmon_capture_bytes_total", "counter", "Wire bytes of the frames capd accounted",
	  NULL, "network.capture.bytes", 1, NULL, { { 0 } } },
	{ "netmon_capture_kernel_drops_total", "counter", "Frames the kernel dropped (ring full)",
	  NULL, "network.capture.psDrop", 1, NULL, { { 0 } } },
	{ "netmon_capture_interface_drops_total", "counter", "Frames the interface dropped",
	  NULL, "network.capture.psIfdrop", 1, NULL, { { 0 } } },
	{ "netmon_capture_evictions_total", "counter", "capd table entries evicted (max_devices reached)",
	  NULL, "network.capture.evictions", 1, NULL, { { 0 } } },
	{ "netmon_helper_up", "gauge", "1 while the helper is connected and reporting",
	  "agent.helpers", "state", 1, "connected", { { "helper", NULL, NULL } } },
	{ "netmon_helper_records_total", "counter", "Records received from the helper",
	  "agent.helpers", "records", 1, NULL, { { "helper", NULL, NULL } } },
	{ "netmon_helper_send_drops_total", "counter", "Records the helper could not send (socket full)",
	  "agent.helpers", "sendDrops", 1, NULL, { { "helper", NULL, NULL } } },
	{ "netmon_helper_rejected_peers_total", "counter", "Connections refused on the helper's socket",
	  "agent.helpers", "rejectedPeers", 1, NULL, { { "helper", NULL, NULL } } },
};

/* "a.b.c" inside obj; NULL when any step is missing or not an object. */
static const json_t *field(const json_t *obj, const char *path)
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

/* Label values are untrusted (device names): escape \, " and newline, the
 * three the format requires. jansson strings are valid UTF-8 already. */
static void put_label_value(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': fputs("\\\\", f); break;
		case '"': fputs("\\\"", f); break;
		case '\n': fputs("\\n", f); break;
		default: fputc(*s, f);
		}
	}
}

static bool sample_value(const struct prom_row *r, const json_t *v, double *out)
{
	if (r->equals) {
		if (!json_is_string(v))
			return false;
		*out = strcmp(json_string_value(v), r->equals) == 0;
		return true;
	}
	if (!json_is_number(v))
		return false;
	*out = json_number_value(v) * r->scale;
	return isfinite(*out);
}

static void put_number(FILE *f, const json_t *v, double d, double scale)
{
	/* integers stay exact (a double loses counters above 2^53) */
	if (json_is_integer(v) && scale == 1)
		fprintf(f, "%lld", (long long)json_integer_value(v));
	else
		fprintf(f, "%.17g", d);
}

static void put_sample(FILE *f, const struct prom_row *r, const json_t *elem, const char *key)
{
	const json_t *v = r->value ? field(elem, r->value) : NULL;
	double d = 1;                   /* an info metric: labels only, value 1 */
	int nl = 0;

	if (r->value && !sample_value(r, v, &d))
		return;
	fputs(r->metric, f);
	for (int i = 0; i < MAX_LABELS && r->labels[i].name; i++) {
		const char *val = r->labels[i].fixed;
		if (!val && !r->labels[i].path)
			val = key;                      /* the object key (helper name) */
		if (!val) {
			const json_t *s = field(elem, r->labels[i].path);
			val = json_is_string(s) ? json_string_value(s) : "";
		}
		fprintf(f, "%c%s=\"", nl++ ? ',' : '{', r->labels[i].name);
		put_label_value(f, val);
		fputc('"', f);
	}
	fputs(nl ? "} " : " ", f);
	if (v && !r->equals)
		put_number(f, v, d, r->scale);
	else
		fprintf(f, "%g", d);
	fputc('\n', f);
}

char *prom_render(const json_t *snap, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct prom_row *r = &rows[i];
		if (r->help)
			fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", r->metric, r->help, r->metric, r->type);
		if (!r->each) {
			put_sample(f, r, snap, NULL);
			continue;
		}
		const json_t *set = field(snap, r->each);
		if (json_is_array(set)) {
			size_t k;
			const json_t *e;
			json_array_foreach(set, k, e)
				put_sample(f, r, e, NULL);
		} else if (json_is_object(set)) {
			const char *key;
			const json_t *e;
			json_object_foreach((json_t *)set, key, e)
				put_sample(f, r, e, key);
		}
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int prom_write_file(const char *path, const char *text, size_t len)
{
	char tmp[PATH_MAX];
	int n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
	return -1;
}
