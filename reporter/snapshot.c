#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>
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

static json_t *iso_time_ms(uint64_t ms)
{
	return iso_time(ms * NSEC_PER_MSEC);
}

/* arpd's knowledge of a device, beside capd's counters (docs/payload.md):
 * mac and status come from arpd, the rest are additions. */
static void arp_fields(json_t *o, const struct wire_arp_device *d)
{
	char buf[ADDR_STRLEN];
	json_t *v6 = json_array();
	json_t *seen = json_array();

	for (unsigned i = 0; i < d->n6; i++)
		json_array_append_new(v6, json_string(addr_format(AF_INET6, d->ipv6[i], buf, sizeof(buf))));
	if (d->flags & WIRE_ARP_SEEN_SWEEP)
		json_array_append_new(seen, json_string("sweep"));
	if (d->flags & WIRE_ARP_SEEN_ARP)
		json_array_append_new(seen, json_string("arp"));
	if (d->flags & WIRE_ARP_SEEN_ND)
		json_array_append_new(seen, json_string("nd"));
	json_object_set_new(o, "mac", json_string(mac_format(d->mac, buf, sizeof(buf))));
	json_object_set_new(o, "status", json_string(d->flags & WIRE_ARP_ACTIVE ? "active" : "inactive"));
	json_object_set_new(o, "vendor", d->vendor[0] ? json_string(d->vendor) : json_null());
	json_object_set_new(o, "firstSeen", iso_time_ms(d->first_seen_ms));
	json_object_set_new(o, "lastSeen", iso_time_ms(d->last_seen_ms));
	json_object_set_new(o, "locallyAdministered", json_boolean(d->flags & WIRE_ARP_LOCAL));
	json_object_set_new(o, "ipv6", v6);
	json_object_set_new(o, "seenBy", seen);
}

/* A device arpd knows and capd saw no traffic from: zero bandwidth. */
static json_t *arp_only_device_json(const struct wire_arp_device *d, const struct snapshot_clock *clk)
{
	char ip[ADDR_STRLEN];
	if (d->n4)
		addr_format(AF_INET, d->ipv4[0], ip, sizeof(ip));
	else if (d->n6)
		addr_format(AF_INET6, d->ipv6[0], ip, sizeof(ip));
	else
		return NULL;            /* a MAC without an address (a probe): nothing to list */
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:{s:I, s:I, s:I, s:I, s:f}}",
			      "ip", ip, "mac", "", "deviceName", "", "status", "inactive",
			      "timeChecked", iso_time(clk->window_end_real_ns),
			      "bandwidth", "rxBytesTotal", (json_int_t)0, "txBytesTotal", (json_int_t)0,
			      "rxRateBps", (json_int_t)0, "txRateBps", (json_int_t)0,
			      "utilizationPercent", 0.0);
	if (o)
		arp_fields(o, d);
	return o;
}

static json_t *discovery_json(const struct reporter_state *st)
{
	const struct arpview *v = &st->arp;
	const struct wire_arp_stats *t = &v->stats;
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i, s:i, s:i, s:i}",
			 "state", st->helper[ROLE_ARPD].connected ? "connected" : "missing",
			 "frames", (json_int_t)t->frames, "arpFrames", (json_int_t)t->arp,
			 "ndMessages", (json_int_t)t->nd, "ignoredFrames", (json_int_t)t->ignored,
			 "unmatchedReplies", (json_int_t)t->unmatched,
			 "evictions", (json_int_t)t->evictions, "sweeps", (json_int_t)t->sweeps,
			 "events", (json_int_t)t->events,
			 "tableUsed", (int)t->devices, "tableCapacity", (int)t->capacity,
			 "lastSweepFound", (int)t->last_found, "lastSweepAddresses", (int)t->last_swept);
}

static json_t *events_json(const struct arpview *v)
{
	char ip[ADDR_STRLEN], m1[MAC_STRLEN], m2[MAC_STRLEN];
	json_t *a = json_array();
	for (size_t i = 0; i < v->n_ev; i++) {
		const struct wire_arp_event *e = &v->ev[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:I, s:o}",
			"type", e->kind == WIRE_ARP_EV_FLIP_FLOP ? "flipFlop" : "ipMoved",
			"ip", addr_format(AF_INET, e->ip, ip, sizeof(ip)),
			"oldMac", mac_format(e->old_mac, m1, sizeof(m1)),
			"newMac", mac_format(e->new_mac, m2, sizeof(m2)),
			"count", (json_int_t)e->count, "lastTime", iso_time_ms(e->time_ms)));
	}
	return a;
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

	const struct arpview *arp = &st->arp;
	bool *listed = arp->cur.n ? calloc(arp->cur.n, sizeof(*listed)) : NULL;
	for (uint32_t i = 0; i < keytab_count(&st->devices.ip); i++) {
		const struct dev_entry *e = devtab_at(&st->devices.ip, i);
		json_t *o = device_json(e, clk, window_s, link_mbps);
		long k = arpview_find(arp, e->kind == WIRE_KEY_IPV4 ? 4 : 6, e->key);
		if (o && k >= 0) {
			arp_fields(o, &arp->cur.dev[k]);
			if (listed)
				listed[k] = true;
		}
		json_array_append_new(devices, o);
	}
	for (size_t k = 0; listed && k < arp->cur.n; k++) {
		json_t *o = listed[k] ? NULL : arp_only_device_json(&arp->cur.dev[k], clk);
		if (o)
			json_array_append_new(devices, o);
	}
	free(listed);
	for (int r = 0; r < HUB_ROLES; r++)
		json_object_set_new(helpers, role_name(r), helper_json(&st->helper[r],
									 clk->window_end_mono_ns));

	return json_pack("{s:s, s:s, s:o, s:s, s:o, s:{s:o, s:o, s:f, s:o, s:o, s:o, s:o, s:o}, s:{s:s, s:I, s:o}}",
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
			 "discovery", discovery_json(st),
			 "discoveryEvents", events_json(arp),
			 "agent",
			 "version", NETMON_VERSION,
			 "uptimeSeconds",
			 (json_int_t)((clk->window_end_mono_ns - clk->reporter_start_mono_ns) / NSEC_PER_SEC),
			 "helpers", helpers);
}
