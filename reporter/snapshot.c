#include "snapshot.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "cidr.h"
#include "names.h"
#include "delivery.h"
#include "ifstat.h"
#include "output.h"
#include "sched.h"
#include "sysview.h"
#include "textbuf.h"

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

/* bits per second over the window, at most 2^63 - 2^10 (a JSON consumer
 * reads a signed 64-bit integer; a peer's huge counters must not wrap it) */
static double rate_bps(uint64_t bytes, double seconds)
{
	double r = seconds > 0 ? (double)bytes * 8.0 / seconds : 0.0;
	return r < 9223372036854774784.0 ? r : 9223372036854774784.0;
}

/* ---- connectedDevices, written as text ----------------------------------
 * The device list is the one part of a snapshot that grows with the network
 * (65,536 keys by default), so it is written straight into a buffer instead
 * of building a jansson object per device: about 20x faster (bench/reporter.sh).
 * Strings that come from outside (an OUI vendor, later device names) go
 * through tb_json_str; the rest is digits, fixed words, addresses from
 * addr_format/mac_format and already-formatted times (textbuf.h). */

static void tb_time_ms(struct textbuf *b, uint64_t ms)
{
	char t[32];
	TB_LIT(b, "\"");
	tb_str(b, iso8601_ms(ms * NSEC_PER_MSEC, t, sizeof(t)));
	TB_LIT(b, "\"");
}

/* What arpd knows of a device, beside capd's counters (docs/payload.md):
 * additions after the original fields. */
static void arp_fields_text(struct textbuf *b, const struct arpview_device *d)
{
	char buf[ADDR_STRLEN];
	TB_LIT(b, ",\"vendor\":");
	if (d->vendor[0])
		tb_json_str(b, d->vendor);
	else
		TB_LIT(b, "null");
	TB_LIT(b, ",\"firstSeen\":");
	tb_time_ms(b, d->first_seen_ms);
	TB_LIT(b, ",\"lastSeen\":");
	tb_time_ms(b, d->last_seen_ms);
	TB_LIT(b, ",\"locallyAdministered\":");
	tb_str(b, d->flags & WIRE_ARP_LOCAL ? "true" : "false");
	TB_LIT(b, ",\"ipv6\":[");
	for (unsigned i = 0; i < d->n6; i++) {
		if (i)
			TB_LIT(b, ",");
		TB_LIT(b, "\"");
		tb_str(b, addr_format(AF_INET6, d->ipv6[i], buf, sizeof(buf)));
		TB_LIT(b, "\"");
	}
	TB_LIT(b, "],\"seenBy\":[");
	static const struct { unsigned flag; const char *name; } seen[] = {
		{ WIRE_ARP_SEEN_SWEEP, "\"sweep\"" }, { WIRE_ARP_SEEN_ARP, "\"arp\"" },
		{ WIRE_ARP_SEEN_ND, "\"nd\"" },
	};
	int n = 0;
	for (size_t i = 0; i < sizeof(seen) / sizeof(seen[0]); i++) {
		if (!(d->flags & seen[i].flag))
			continue;
		if (n++)
			TB_LIT(b, ",");
		tb_str(b, seen[i].name);
	}
	TB_LIT(b, "]");
}

/* Where a device's names come from: the book by MAC, in the configured order. */
struct names_view {
	const struct names_book *book;
	const struct names_order *order;
};

/* `,"KEY":"value"` when value is set: an untrusted string, escaped. */
static void tb_opt_str(struct textbuf *b, const char *key_lit, size_t key_len, const char *v,
		       int *shown)
{
	if (!v[0])
		return;
	if ((*shown)++)
		TB_LIT(b, ",");
	tb_put(b, key_lit, key_len);
	tb_json_str(b, v);
}
#define TB_OPT_STR(b, key, v, shown) tb_opt_str((b), "\"" key "\":", sizeof(key) + 2, (v), (shown))

/* What the device says about itself besides its names (docs/payload.md):
 * "dhcp":{"vendorClass","fingerprint"}, "model", "hinfo":{"cpu","os"}; a
 * field it never said is left out, and so is an object left empty. */
static void about_text(struct textbuf *b, const struct device_about *a)
{
	int shown = 0;
	if (a->vendor_class[0] || a->fingerprint[0]) {
		TB_LIT(b, ",\"dhcp\":{");
		TB_OPT_STR(b, "vendorClass", a->vendor_class, &shown);
		TB_OPT_STR(b, "fingerprint", a->fingerprint, &shown);
		TB_LIT(b, "}");
	}
	if (a->model[0]) {
		TB_LIT(b, ",\"model\":");
		tb_json_str(b, a->model);
	}
	if (a->hinfo_cpu[0] || a->hinfo_os[0]) {
		shown = 0;
		TB_LIT(b, ",\"hinfo\":{");
		TB_OPT_STR(b, "cpu", a->hinfo_cpu, &shown);
		TB_OPT_STR(b, "os", a->hinfo_os, &shown);
		TB_LIT(b, "}");
	}
}

/* deviceName's value, then nameSource and names{} (docs/names.md): every
 * name is a string from outside (arpd's packets, DNS answers), so each goes
 * through tb_json_str. A device without a MAC has no names (the MAC is the
 * identity). */
static void names_text(struct textbuf *b, const struct arpview_device *a,
		       const struct names_view *nv)
{
	const struct device_names *n = a && nv ? names_book_find(nv->book, a->mac) : NULL;
	enum name_source src = NAME_SRC_NONE;
	const char *name = n ? names_pick(n, nv->order, &src) : "";
	tb_json_str(b, name);
	TB_LIT(b, ",\"nameSource\":\"");
	tb_str(b, names_source_name(src));
	TB_LIT(b, "\",\"names\":{");
	int shown = 0;
	for (int s = 0; n && s < NAME_SRC_COUNT; s++) {
		const char *list[NAMES_KEEP];
		size_t k = names_list(n, (enum name_source)s, list, NAMES_KEEP);
		if (k == 0)
			continue;
		if (shown++)
			TB_LIT(b, ",");
		TB_LIT(b, "\"");
		tb_str(b, names_source_name((enum name_source)s));
		TB_LIT(b, "\":[");
		for (size_t i = 0; i < k; i++) {
			if (i)
				TB_LIT(b, ",");
			tb_json_str(b, list[i]);
		}
		TB_LIT(b, "]");
	}
	TB_LIT(b, "}");
	if (n)
		about_text(b, &n->about);
}

/* status: arpd's when it knows the device, else capd's traffic */
static bool device_active(const struct dev_entry *e, const struct arpview_device *a,
			  const struct snapshot_clock *clk)
{
	return a ? (a->flags & WIRE_ARP_ACTIVE) != 0 :
	       e && clk->window_end_mono_ns - e->changed_ns < DEVICE_ACTIVE_NS;
}

/* One device: capd's counters for an address (e, NULL for a device only arpd
 * knows: zero traffic), and arpd's view of the MAC using it (a, or NULL). */
static void device_text(struct textbuf *b, const char *ip, const struct dev_entry *e,
			const struct arpview_device *a, const struct names_view *nv,
			const struct snapshot_clock *clk, double window_s, const char *time,
			uint64_t link_mbps)
{
	char mac[MAC_STRLEN] = "";
	uint64_t tot[DEV_NCOUNTERS] = { 0 }, win[DEV_NCOUNTERS] = { 0 };
	for (int k = 0; e && k < DEV_NCOUNTERS; k++) {
		tot[k] = devtab_total(e, k);
		win[k] = tot[k] - e->window_start[k];
	}
	bool active = device_active(e, a, clk);
	if (a)
		mac_format(a->mac, mac, sizeof(mac));

	TB_LIT(b, "{\"ip\":\"");
	tb_str(b, ip);
	TB_LIT(b, "\",\"mac\":\"");
	tb_str(b, mac);
	TB_LIT(b, "\",\"deviceName\":");
	names_text(b, a, nv);
	TB_LIT(b, ",\"status\":\"");
	tb_str(b, active ? "active" : "inactive");
	TB_LIT(b, "\",\"timeChecked\":\"");
	tb_str(b, time);
	TB_LIT(b, "\",\"bandwidth\":{\"rxBytesTotal\":");
	tb_u64(b, tot[DEV_RX_BYTES]);
	TB_LIT(b, ",\"txBytesTotal\":");
	tb_u64(b, tot[DEV_TX_BYTES]);
	TB_LIT(b, ",\"rxRateBps\":");
	double rx_bps = rate_bps(win[DEV_RX_BYTES], window_s);
	double tx_bps = rate_bps(win[DEV_TX_BYTES], window_s);
	tb_u64(b, (uint64_t)(rx_bps + 0.5));
	TB_LIT(b, ",\"txRateBps\":");
	tb_u64(b, (uint64_t)(tx_bps + 0.5));
	TB_LIT(b, ",\"utilizationPercent\":");
	double util = ifstat_utilization(rx_bps, tx_bps, link_mbps);
	if (util > 0) {
		char u[40];
		int n = snprintf(u, sizeof(u), "%.2f", util);   /* already rounded to 2 decimals */
		tb_put(b, u, n > 0 && (size_t)n < sizeof(u) ? (size_t)n : 0);
	} else {
		TB_LIT(b, "0.0");
	}
	TB_LIT(b, ",\"rxBytesWindow\":");
	tb_u64(b, win[DEV_RX_BYTES]);
	TB_LIT(b, ",\"txBytesWindow\":");
	tb_u64(b, win[DEV_TX_BYTES]);
	TB_LIT(b, ",\"rxPacketsTotal\":");
	tb_u64(b, tot[DEV_RX_PACKETS]);
	TB_LIT(b, ",\"txPacketsTotal\":");
	tb_u64(b, tot[DEV_TX_PACKETS]);
	TB_LIT(b, ",\"rxPacketsWindow\":");
	tb_u64(b, win[DEV_RX_PACKETS]);
	TB_LIT(b, ",\"txPacketsWindow\":");
	tb_u64(b, win[DEV_TX_PACKETS]);
	TB_LIT(b, "}");
	if (a)
		arp_fields_text(b, a);
	TB_LIT(b, "}");
}

static double window_seconds(const struct snapshot_clock *clk)
{
	return (double)((clk->window_end_mono_ns - clk->window_start_mono_ns) / NSEC_PER_MSEC) / 1e3;
}

/* Every device of connectedDevices[], in the payload's order: each address
 * capd counted, joined with arpd's device using it (a, or NULL); then the
 * devices arpd knows that capd saw nothing from (e NULL). */
typedef void device_fn(void *ctx, const char *ip, const struct dev_entry *e,
		       const struct arpview_device *a);

static void devices_walk(const struct reporter_state *st, device_fn *fn, void *ctx)
{
	const struct arpview *arp = &st->arp;
	bool *listed = arp->cur.n ? calloc(arp->cur.n, sizeof(*listed)) : NULL;
	char ip[ADDR_STRLEN];
	for (uint32_t i = 0; i < keytab_count(&st->devices.ip); i++) {
		const struct dev_entry *e = devtab_at(&st->devices.ip, i);
		long k = arpview_find(arp, e->kind == WIRE_KEY_IPV4 ? 4 : 6, e->key);
		if (k >= 0 && listed)
			listed[k] = true;
		addr_format(e->kind == WIRE_KEY_IPV4 ? AF_INET : AF_INET6, e->key, ip, sizeof(ip));
		fn(ctx, ip, e, k >= 0 ? &arp->cur.dev[k] : NULL);
	}
	for (size_t k = 0; listed && k < arp->cur.n; k++) {
		const struct arpview_device *a = &arp->cur.dev[k];
		if (listed[k] || (a->n4 == 0 && a->n6 == 0))
			continue;       /* a MAC without an address (a probe): nothing to list */
		if (a->n4)
			addr_format(AF_INET, a->ipv4[0], ip, sizeof(ip));
		else
			addr_format(AF_INET6, a->ipv6[0], ip, sizeof(ip));
		fn(ctx, ip, NULL, a);
	}
	free(listed);
}

struct view_walk {
	struct metric_devices *out;
	struct names_view nv;
	const struct snapshot_clock *clk;
};
static device_fn device_view_cb;

struct text_walk {
	struct textbuf *b;
	bool first;
	struct names_view nv;
	const struct snapshot_clock *clk;
	double window_s;
	const char *time;
	uint64_t link_mbps;
	struct view_walk *view;     /* the metric outputs' view, made in the same walk, or NULL */
};

static void device_text_cb(void *ctx, const char *ip, const struct dev_entry *e,
			   const struct arpview_device *a)
{
	struct text_walk *w = ctx;
	if (!w->first)
		TB_LIT(w->b, ",");
	w->first = false;
	device_text(w->b, ip, e, a, &w->nv, w->clk, w->window_s, w->time, w->link_mbps);
	if (w->view)
		device_view_cb(w->view, ip, e, a);
}

#define DEVICES_MARK "\"connectedDevices\":[]"

static bool metric_outputs(const struct netmon_config *cfg)
{
	for (size_t i = 0; i < cfg->n_outputs; i++)
		if (cfg->outputs[i].kind == OUTPUT_PROMETHEUS || cfg->outputs[i].kind == OUTPUT_OTLP)
			return true;
	return false;
}

/* The line, and when view is not NULL the metric outputs' device view in the
 * same walk (the addresses formatted and looked up once). */
static char *text_and_view(const struct netmon_config *cfg, json_t *snap,
			   const struct reporter_state *st, const struct snapshot_clock *clk,
			   size_t *len, struct view_walk *view)
{
	char *env = json_dumps(snap, JSON_COMPACT | JSON_REAL_PRECISION(PAYLOAD_REAL_DIGITS));
	if (!env)
		return NULL;
	/* an unescaped quote before the key: only the key itself can match */
	char *mark = strstr(env, DEVICES_MARK);
	if (!mark) {
		free(env);
		return NULL;
	}
	char time[32];
	iso8601_ms(clk->window_end_real_ns, time, sizeof(time));
	double window_s = window_seconds(clk);
	/* sysd's data is used while it is at most three of its cycles old */
	uint64_t sys_age = 3ULL * cfg->cycle_seconds * NSEC_PER_SEC;
	uint64_t link_mbps = sysview_link_speed(&st->sys, cfg->interface,
						clk->window_end_mono_ns, sys_age);
	struct textbuf b = { 0 };
	size_t head = (size_t)(mark - env) + sizeof(DEVICES_MARK) - 2;  /* up to and with '[' */
	tb_reserve(&b, strlen(env) + 64 + ((size_t)keytab_count(&st->devices.ip) + st->arp.cur.n) * 600);
	tb_put(&b, env, head);
	struct text_walk w = { &b, true, { &st->arp.names, &cfg->name_sources }, clk, window_s,
			       time, link_mbps, view };
	devices_walk(st, device_text_cb, &w);
	tb_str(&b, env + head);
	tb_put(&b, "", 1);
	free(env);
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	*len = b.len - 1;
	return b.p;
}

char *snapshot_text(const struct netmon_config *cfg, json_t *snap,
		    const struct reporter_state *st, const struct snapshot_clock *clk, size_t *len)
{
	return text_and_view(cfg, snap, st, clk, len, NULL);
}

static size_t devices_bound(const struct reporter_state *st)
{
	return (size_t)keytab_count(&st->devices.ip) + st->arp.cur.n + 1;
}

int snapshot_line_make(struct snapshot_line *l, const struct netmon_config *cfg, json_t *snap,
		       const struct reporter_state *st, const struct snapshot_clock *clk)
{
	*l = (struct snapshot_line){ .snap = snap, .cfg = cfg, .st = st, .clk = clk };
	struct view_walk view = { &l->devices, { &st->arp.names, &cfg->name_sources }, clk };
	bool with_view = metric_outputs(cfg) && metric_devices_reset(&l->devices, devices_bound(st)) == 0;
	l->owned = text_and_view(cfg, snap, st, clk, &l->len, with_view ? &view : NULL);
	l->text = l->owned;
	l->devices_ready = with_view;
	return l->owned ? 0 : -1;
}

static json_t *iso_time_ms(uint64_t ms)
{
	return iso_time(ms * NSEC_PER_MSEC);
}

static json_t *discovery_json(const struct reporter_state *st)
{
	const struct arpview *v = &st->arp;
	const struct wire_arp_stats *t = &v->stats;
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i, s:i, s:i, s:i, s:I, s:I}",
			 "state", st->helper[ROLE_ARPD].connected ? "connected" : "missing",
			 "frames", (json_int_t)t->frames, "arpFrames", (json_int_t)t->arp,
			 "ndMessages", (json_int_t)t->nd, "ignoredFrames", (json_int_t)t->ignored,
			 "unmatchedReplies", (json_int_t)t->unmatched,
			 "evictions", (json_int_t)t->evictions, "sweeps", (json_int_t)t->sweeps,
			 "events", (json_int_t)t->events,
			 "tableUsed", (int)t->devices, "tableCapacity", (int)t->capacity,
			 "lastSweepFound", (int)t->last_found, "lastSweepAddresses", (int)t->last_swept,
			 "tableUpdates", (json_int_t)v->generations,
			 "tableUpdatesLost", (json_int_t)v->generations_dropped);
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

/* Values a connected helper sent that it could not have sent
 * (docs/protocol.md, "What the reporter refuses"): left out, or held to a
 * bound. Each kind is logged too; these are the counts. */
static void refusals(const struct reporter_state *st, int role, uint64_t *refused,
		     uint64_t *clamped)
{
	*refused = st->helper[role].refused_heartbeats;
	*clamped = 0;
	if (role == ROLE_CAPD) {
		for (int k = DEVTAB_OK + 1; k < DEVTAB_NVERDICTS; k++)
			*refused += st->devices.refused[k];
		*refused += st->capture.refused;
		*clamped = st->devices.clamped;
	} else if (role == ROLE_ARPD) {
		*refused += st->arp.refused_devices;
		*clamped = st->arp.clamped_times;
	}
}

static json_t *helper_json(const struct reporter_state *st, int role, uint64_t now_mono)
{
	const struct helper_state *h = &st->helper[role];
	char inst[17];
	const char *state = helper_state_name(h, now_mono);
	uint64_t refused, clamped;
	refusals(st, role, &refused, &clamped);
	json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "state", state,
			      "connects", (json_int_t)h->connects,
			      "instances", (json_int_t)h->instances,
			      "records", (json_int_t)h->records,
			      "rejectedPeers", (json_int_t)h->rejected,
			      "refusedValues", (json_int_t)refused,
			      "clampedValues", (json_int_t)clamped);
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
	double window_s = window_seconds(clk);
	/* filled by snapshot_text(), see there */
	json_t *devices = json_array();
	json_t *helpers = json_object();
	/* sysd's data is shown while it is at most three of its cycles old */
	uint64_t sys_age = 3ULL * cfg->cycle_seconds * NSEC_PER_SEC;

	for (int r = 0; r < HUB_ROLES; r++)
		json_object_set_new(helpers, role_name(r), helper_json(st, r, clk->window_end_mono_ns));

	json_t *snap = json_pack("{s:s, s:s, s:o, s:s, s:i, s:o, s:{s:o, s:o, s:f, s:o, s:o, s:o, s:o, s:o}, s:{s:s, s:I, s:o}}",
			 "messageType", "realtimeSnapshot",
			 "serverId", cfg->server_id,
			 "snapshotTime", iso_time(clk->window_end_real_ns),
			 "snapshotId", snapshot_id,
			 "schemaVersion", SNAPSHOT_SCHEMA_VERSION,
			 "metrics", sysview_metrics_json(&st->sys, clk->window_end_mono_ns, sys_age),
			 "network",
			 "collectionStartTime", iso_time(clk->window_start_real_ns),
			 "collectionEndTime", iso_time(clk->window_end_real_ns),
			 "collectionDurationSeconds", window_s,
			 "interfaces", sysview_interfaces_json(&st->sys, clk->window_end_mono_ns, sys_age),
			 "connectedDevices", devices,
			 "capture", capture_json(st, clk->window_end_mono_ns),
			 "discovery", discovery_json(st),
			 "discoveryEvents", events_json(&st->arp),
			 "agent",
			 "version", NETMON_VERSION,
			 "uptimeSeconds",
			 (json_int_t)((clk->window_end_mono_ns - clk->reporter_start_mono_ns) / NSEC_PER_SEC),
			 "helpers", helpers);
	/* where the persisted totals start (OTLP start time of netmon's sums) */
	json_t *agent = json_object_get(snap, "agent");
	if (agent && st->totals_since_real_ns)
		json_object_set_new(agent, "totalsSince", iso_time(st->totals_since_real_ns));
	return snap;
}

static json_t *channel_json(const struct delivery_channel *c, bool counts_itself)
{
	json_t *d = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b}",
			      "spoolDepth", (json_int_t)spool_depth(&c->spool) + (counts_itself ? 1 : 0),
			      "spoolBytes", (json_int_t)c->spool.bytes,
			      "droppedSnapshots", (json_int_t)c->spool.dropped,
			      "spoolWriteFailures", (json_int_t)c->spool.write_failures,
			      "deadLettered", (json_int_t)c->spool.dead_lettered,
			      "sendFailures", (json_int_t)c->send_failures,
			      "delivered", (json_int_t)c->delivered,
			      "authRefused", c->auth_refused);
	if (d && c->kind == OUTPUT_OTLP) {
		json_object_set_new(d, "rejectedDataPoints", json_integer((json_int_t)c->rejected_points));
		json_object_set_new(d, "partialSuccesses", json_integer((json_int_t)c->partial_successes));
	}
	if (d && c->last_status)
		json_object_set_new(d, "lastStatus", json_integer(c->last_status));
	if (d && c->last_success_real_ns)
		json_object_set_new(d, "lastSuccessTime", iso_time(c->last_success_real_ns));
	return d;
}

void snapshot_add_delivery(json_t *snap, const struct output_set *out, const struct delivery *dlv)
{
	json_t *agent = json_object_get(snap, "agent");
	if (!agent)
		return;
	json_t *outs = json_array();
	for (size_t i = 0; i < out->n; i++) {
		const struct output_sink *s = &out->s[i];
		json_array_append_new(outs, json_pack("{s:s, s:I, s:I, s:I}",
						      "output", s->kind == OUTPUT_STDOUT ? "stdout" :
							s->kind == OUTPUT_FILE ? "file" : "prometheus",
						      "queuedLines", (json_int_t)s->queued_lines,
						      "writtenLines", (json_int_t)s->written,
						      "droppedLines", (json_int_t)s->dropped));
	}
	/* the POSTing outputs: this snapshot goes into each spool next and counts itself */
	for (size_t i = 0; dlv && i < dlv->n; i++) {
		const struct delivery_channel *c = &dlv->ch[i];
		json_t *o = channel_json(c, true);
		json_object_set_new(o, "output", json_string(c->name));
		json_array_append_new(outs, o);
	}
	json_object_set_new(agent, "outputs", outs);
	const struct delivery_channel *http = dlv ? delivery_channel_const(dlv, OUTPUT_HTTP) : NULL;
	if (http)
		json_object_set_new(agent, "delivery", channel_json(http, true));
}

/* ---- connectedDevices for the metric outputs ------------------------------
 * The same walk and the same values as device_text, into the flat view the
 * metric rows read (metricmap.h): prometheus: and otlp: render from it with
 * no payload parse. tests/unit/test_metrics_direct.c holds the two to the
 * payload of the same cycle. */

static void device_view_cb(void *ctx, const char *ip, const struct dev_entry *e,
			   const struct arpview_device *a)
{
	static const int counter[MDEV_NNUM] = {
		[MDEV_RX_BYTES] = DEV_RX_BYTES, [MDEV_TX_BYTES] = DEV_TX_BYTES,
		[MDEV_RX_PACKETS] = DEV_RX_PACKETS, [MDEV_TX_PACKETS] = DEV_TX_PACKETS,
	};
	struct view_walk *w = ctx;
	struct metric_device *m = metric_devices_add(w->out);
	if (!m)
		return;         /* cannot happen: there is room for every entry */
	size_t n = strlen(ip);
	memcpy(m->ip, ip, n < sizeof(m->ip) ? n + 1 : 0);
	metric_str_set(&m->str[MDEV_IP], m->ip);
	if (a)
		mac_format(a->mac, m->mac, sizeof(m->mac));
	metric_str_set(&m->str[MDEV_MAC], m->mac);
	const struct device_names *names = a ? names_book_find(w->nv.book, a->mac) : NULL;
	enum name_source src;
	metric_str_set(&m->str[MDEV_NAME], names ? names_pick(names, w->nv.order, &src) : "");
	metric_str_set(&m->str[MDEV_VENDOR], a && a->vendor[0] ? a->vendor : NULL);
	metric_str_set(&m->str[MDEV_STATUS], device_active(e, a, w->clk) ? "active" : "inactive");
	for (int k = 0; k < MDEV_NNUM; k++) {
		uint64_t v = e ? devtab_total(e, counter[k]) : 0;
		m->num[k] = v <= INT64_MAX ? (struct metric_num){ MNUM_INT, { .i = (int64_t)v } } :
			    (struct metric_num){ MNUM_REAL, { .d = (double)v } };
	}
}

int snapshot_devices(const struct netmon_config *cfg, const struct reporter_state *st,
		     const struct snapshot_clock *clk, struct metric_devices *out)
{
	if (metric_devices_reset(out, devices_bound(st)) != 0)
		return -1;
	struct view_walk w = { out, { &st->arp.names, &cfg->name_sources }, clk };
	devices_walk(st, device_view_cb, &w);
	return 0;
}

const struct metric_source *snapshot_line_metrics(struct snapshot_line *l)
{
	if (l->tried)
		return l->ok ? &l->src : NULL;
	l->tried = true;
	if (l->snap && l->st) {
		l->src.snap = l->snap;
		l->ok = l->devices_ready || snapshot_devices(l->cfg, l->st, l->clk, &l->devices) == 0;
	} else {
		l->parsed = json_loadb(l->text, l->len, 0, NULL);
		l->src.snap = l->parsed;
		l->ok = l->parsed && metric_devices_from_json(&l->devices, l->parsed) == 0;
	}
	l->src.devices = &l->devices;
	return l->ok ? &l->src : NULL;
}

void snapshot_line_release(struct snapshot_line *l)
{
	json_decref(l->parsed);
	l->parsed = NULL;
	metric_devices_free(&l->devices);
	free(l->owned);
	l->owned = NULL;
	l->tried = l->ok = l->devices_ready = false;
}
