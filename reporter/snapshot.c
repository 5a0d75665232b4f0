#include "snapshot.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "cidr.h"
#include "ifstat.h"
#include "sched.h"
#include "sysview.h"

void snapshot_new_id(char *buf, size_t n)
{
	uint8_t b[16] = { 0 };
	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		uint64_t t = realtime_ns() ^ mono_ns();
		memcpy(b, &t, sizeof(t));
	}
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);   /* version 4 */
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);   /* RFC 4122 variant */
	snprintf(buf, n,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
		 b[12], b[13], b[14], b[15]);
}

static json_t *iso_time(uint64_t real_ns)
{
	char buf[32];
	return json_string(iso8601_ms(real_ns, buf, sizeof(buf)));
}

/* bits per second over the window */
static double rate_bps(uint64_t bytes, double seconds)
{
	return seconds > 0 ? (double)bytes * 8.0 / seconds : 0.0;
}

static json_t *device_json(const struct dev_entry *e, const struct snapshot_clock *clk,
			   double window_s, uint64_t link_mbps)
{
	char ip[ADDR_STRLEN];
	uint64_t rx = devtab_total(e, DEV_RX_BYTES), tx = devtab_total(e, DEV_TX_BYTES);
	double rx_bps = rate_bps(rx - e->window_start[DEV_RX_BYTES], window_s);
	double tx_bps = rate_bps(tx - e->window_start[DEV_TX_BYTES], window_s);
	bool active = clk->window_end_mono_ns - e->changed_ns < DEVICE_ACTIVE_NS;

	addr_format(e->kind == WIRE_KEY_IPV4 ? AF_INET : AF_INET6, e->key, ip, sizeof(ip));
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:{s:I, s:I, s:I, s:I, s:f}}",
			 "ip", ip, "mac", "", "deviceName", "",
			 "status", active ? "active" : "inactive",
			 "timeChecked", iso_time(clk->window_end_real_ns),
			 "bandwidth",
			 "rxBytesTotal", (json_int_t)rx, "txBytesTotal", (json_int_t)tx,
			 "rxRateBps", (json_int_t)(rx_bps + 0.5), "txRateBps", (json_int_t)(tx_bps + 0.5),
			 "utilizationPercent", ifstat_utilization(rx_bps, tx_bps, link_mbps));
}

/* capd's state as the capture block reports it: never-connected is "missing" there */
static const char *capture_state_name(const struct helper_state *h, uint64_t now_mono)
{
	const char *s = helper_state_name(h, now_mono);
	return strcmp(s, "never-connected") == 0 ? "missing" : s;
}

static json_t *capture_json(const struct reporter_state *st, uint64_t now_mono)
{
	struct wire_cap_stats t;
	state_capture_totals(st, &t);
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:i, s:i, s:I}",
			 "state", capture_state_name(&st->helper[ROLE_CAPD], now_mono),
			 "packets", (json_int_t)t.packets, "bytes", (json_int_t)t.bytes,
			 "psRecv", (json_int_t)t.ps_recv, "psDrop", (json_int_t)t.ps_drop,
			 "psIfdrop", (json_int_t)t.ps_ifdrop, "evictions", (json_int_t)t.evictions,
			 "tableUsed", (int)t.table_used, "tableCapacity", (int)t.table_capacity,
			 "reporterEvictions", (json_int_t)devtab_replaced(&st->devices));
}

static json_t *helper_json(const struct helper_state *h, uint64_t now_mono)
{
	char inst[17];
	const char *state = helper_state_name(h, now_mono);
	json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:I}", "state", state,
			      "connects", (json_int_t)h->connects,
			      "instances", (json_int_t)h->instances,
			      "records", (json_int_t)h->records,
			      "rejectedPeers", (json_int_t)h->rejected);
	if (!o || !h->ever_connected)
		return o;
	snprintf(inst, sizeof(inst), "%016llx", (unsigned long long)h->instance_id);
	json_object_set_new(o, "instanceId", json_string(inst));
	json_object_set_new(o, "pid", json_integer(h->pid));
	json_object_set_new(o, "startTime", iso_time(h->start_time_ns));
	json_object_set_new(o, "lastRecordType", json_string(wire_type_name(h->last_record_type)));
	json_object_set_new(o, "lastRecordAgeSeconds",
			    json_real((double)((now_mono - h->last_record_ns) / NSEC_PER_MSEC) / 1e3));
	json_object_set_new(o, "uptimeSeconds", json_integer((json_int_t)(h->uptime_ms / 1000)));
	json_object_set_new(o, "sendDrops", json_integer((json_int_t)h->send_drops));
	return o;
}

json_t *snapshot_build(const struct netmon_config *cfg, const struct reporter_state *st,
		       const struct snapshot_clock *clk, const char *snapshot_id)
{
	double window_s = (double)((clk->window_end_mono_ns - clk->window_start_mono_ns) /
				   NSEC_PER_MSEC) / 1e3;
	json_t *devices = json_array();
	json_t *helpers = json_object();
	/* sysd's data is shown while it is at most three of its cycles old */
	uint64_t sys_age = 3ULL * cfg->cycle_seconds * NSEC_PER_SEC;
	uint64_t link_mbps = sysview_link_speed(&st->sys, cfg->interface,
						clk->window_end_mono_ns, sys_age);

	for (uint32_t i = 0; i < keytab_count(&st->devices.ip); i++)
		json_array_append_new(devices, device_json(devtab_at(&st->devices.ip, i), clk,
							   window_s, link_mbps));
	for (int r = 0; r < HUB_ROLES; r++)
		json_object_set_new(helpers, role_name(r), helper_json(&st->helper[r],
									 clk->window_end_mono_ns));

	return json_pack("{s:s, s:s, s:o, s:s, s:o, s:{s:o, s:o, s:f, s:o, s:o, s:o}, s:{s:s, s:I, s:o}}",
			 "messageType", "realtimeSnapshot",
			 "serverId", cfg->server_id,
			 "snapshotTime", iso_time(clk->window_end_real_ns),
			 "snapshotId", snapshot_id,
			 "metrics", sysview_metrics_json(&st->sys, clk->window_end_mono_ns, sys_age),
			 "network",
			 "collectionStartTime", iso_time(clk->window_start_real_ns),
			 "collectionEndTime", iso_time(clk->window_end_real_ns),
			 "collectionDurationSeconds", window_s,
			 "interfaces", sysview_interfaces_json(&st->sys, clk->window_end_mono_ns, sys_age),
			 "connectedDevices", devices,
			 "capture", capture_json(st, clk->window_end_mono_ns),
			 "agent",
			 "version", NETMON_VERSION,
			 "uptimeSeconds",
			 (json_int_t)((clk->window_end_mono_ns - clk->reporter_start_mono_ns) / NSEC_PER_SEC),
			 "helpers", helpers);
}
