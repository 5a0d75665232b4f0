#include "state.h"

#include <string.h>

#include "log.h"

int state_init(struct reporter_state *s, size_t max_devices)
{
	memset(s, 0, sizeof(*s));
	arpview_init(&s->arp);
	/* MACs and IP addresses each get the configured capacity (devtab.h) */
	return devtab_init(&s->devices, max_devices, max_devices);
}

void state_free(struct reporter_state *s)
{
	devtab_free(&s->devices);
	arpview_free(&s->arp);
	sysview_free(&s->sys);
}

static void on_connected(void *ctx, int role, const struct wire_hello *hello, uint64_t now)
{
	struct reporter_state *s = ctx;
	struct helper_state *h = &s->helper[role];

	if (!h->ever_connected || h->instance_id != hello->instance_id)
		h->instances++;
	h->connected = true;
	h->ever_connected = true;
	h->instance_id = hello->instance_id;
	h->pid = hello->pid;
	/* a start in the future is impossible (and would print as a year past 9999) */
	uint64_t wall = realtime_ns();
	h->start_time_ns = hello->start_time_ns;
	if (h->start_time_ns > wall) {
		log_warnx("%s (pid %ld): start time %llu ns is in the future; shown as now", role_name(role),
			  (long)hello->pid, (unsigned long long)hello->start_time_ns);
		h->start_time_ns = wall;
	}
	h->connected_ns = now;
	h->last_record_ns = now;
	h->last_record_type = WIRE_HELLO;
	h->records++;
	h->connects++;
	h->have_heartbeat = false;
	h->interval_ns = HELPER_DEFAULT_INTERVAL_NS;
}

const char *helper_state_name(const struct helper_state *h, uint64_t now_mono_ns)
{
	if (!h->connected)
		return h->ever_connected ? "missing" : "never-connected";
	if (now_mono_ns > h->last_record_ns &&
	    now_mono_ns - h->last_record_ns > HELPER_STALE_INTERVALS * h->interval_ns)
		return "stale";
	return "connected";
}

static void on_disconnected(void *ctx, int role, uint64_t now)
{
	struct reporter_state *s = ctx;
	(void)now;
	s->helper[role].connected = false;
}

static void on_rejected(void *ctx, int role)
{
	struct reporter_state *s = ctx;
	s->helper[role].rejected++;
}

/* Totals stop at the largest counter (WIRE_COUNTER_MAX) instead of wrapping. */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a >= WIRE_COUNTER_MAX || b >= WIRE_COUNTER_MAX - a ? WIRE_COUNTER_MAX : a + b;
}

static void add_stats(struct wire_cap_stats *acc, const struct wire_cap_stats *v)
{
	acc->packets = sat_add(acc->packets, v->packets);
	acc->bytes = sat_add(acc->bytes, v->bytes);
	acc->ps_recv = sat_add(acc->ps_recv, v->ps_recv);
	acc->ps_drop = sat_add(acc->ps_drop, v->ps_drop);
	acc->ps_ifdrop = sat_add(acc->ps_ifdrop, v->ps_ifdrop);
	acc->evictions = sat_add(acc->evictions, v->evictions);
}

/* Why one instance's next CAP_STATS cannot be true, or NULL: its counters
 * only grow (capd widens libpcap's across wraps), every frame has a byte,
 * and no link carries more than DEVTAB_MAX_BYTES_PER_S. */
static const char *cap_stats_impossible(const struct capture_state *c, const struct wire_cap_stats *v,
					uint64_t now)
{
	if (v->packets > v->bytes)
		return "more frames than bytes";
	if (!c->have_stats)
		return NULL;
	const struct wire_cap_stats *o = &c->cur;
	if (v->packets < o->packets || v->bytes < o->bytes || v->ps_recv < o->ps_recv ||
	    v->ps_drop < o->ps_drop || v->ps_ifdrop < o->ps_ifdrop || v->evictions < o->evictions)
		return "a counter went backwards";
	uint64_t secs = now > c->cur_ns ? (now - c->cur_ns) / NSEC_PER_SEC + 1 : 1;
	if ((v->bytes - o->bytes) / DEVTAB_MAX_BYTES_PER_S > secs ||
	    (v->packets - o->packets) / DEVTAB_MAX_PACKETS_PER_S > secs)
		return "it grew faster than any link";
	return NULL;
}

static void on_cap_stats(struct reporter_state *s, uint64_t instance, const struct wire_msg *m,
			 uint64_t now)
{
	struct wire_cap_stats st;
	if (wire_get_cap_stats(m, &st) != WIRE_OK) {
		log_warnx("capd: invalid cap_stats record ignored");
		return;
	}
	struct capture_state *c = &s->capture;
	/* a new capd instance starts from zero: bank the old instance's totals */
	if (c->have_stats && c->instance_id != instance) {
		add_stats(&c->base, &c->cur);
		struct wire_cap_stats zero = { .table_used = c->cur.table_used,
					       .table_capacity = c->cur.table_capacity };
		c->cur = zero;
		c->have_stats = false;
	}
	const char *why = cap_stats_impossible(c, &st, now);
	if (why) {
		c->refused++;
		log_warnx("capd: capture statistics refused: %s (packets %llu, bytes %llu; %llu refused so far)",
			  why, (unsigned long long)st.packets, (unsigned long long)st.bytes,
			  (unsigned long long)c->refused);
		return;
	}
	c->have_stats = true;
	c->instance_id = instance;
	c->cur = st;
	c->cur_ns = now;
}

static void on_cap_devices(struct reporter_state *s, uint64_t instance, const struct wire_msg *m,
			   uint64_t now)
{
	size_t n = wire_devices_count(m), bad = 0, malformed = 0, first_bad = 0;
	int first_rc = WIRE_OK;
	size_t why[DEVTAB_NVERDICTS] = { 0 };
	uint64_t clamped = s->devices.clamped;
	devtab_begin_batch(&s->devices);
	for (size_t i = 0; i < n; i++) {
		struct wire_device d;
		int rc = wire_get_device(m, i, &d);
		if (rc != WIRE_OK) {
			if (malformed++ == 0) {
				first_bad = i;
				first_rc = rc;
			}
			continue;
		}
		enum devtab_verdict v = devtab_update(&s->devices, instance, &d, now);
		if (v != DEVTAB_OK) {
			why[v]++;
			bad++;
		}
	}
	/* one line per bad record, however many of its entries are bad (and
	 * common/log.c holds a flood of such records to a few lines) */
	if (malformed)
		log_warnx("capd: %zu of %zu device entries ignored (first: entry %zu: %s)", malformed, n,
			  first_bad, wire_strerror(first_rc));
	if (bad) {
		char list[512];
		size_t len = 0;
		for (int v = 0; v < DEVTAB_NVERDICTS; v++) {
			if (!why[v] || len >= sizeof(list))
				continue;
			int w = snprintf(list + len, sizeof(list) - len, "%s%zu %s", len ? ", " : "",
					 why[v], devtab_verdict_name((enum devtab_verdict)v));
			if (w > 0)
				len += (size_t)w;
		}
		log_warnx("capd: %zu of %zu device entries refused: %s", bad, n, list);
	}
	if (s->devices.clamped != clamped)
		log_warnx("capd: %llu device totals held at the largest counter (%llu)",
			  (unsigned long long)(s->devices.clamped - clamped),
			  (unsigned long long)WIRE_COUNTER_MAX);
}

static void on_record(void *ctx, int role, const struct wire_msg *m, uint64_t now)
{
	struct reporter_state *s = ctx;
	struct helper_state *h = &s->helper[role];
	struct wire_heartbeat hb;

	h->records++;
	h->last_record_ns = now;
	h->last_record_type = m->hdr.type;
	switch (m->hdr.type) {
	case WIRE_HEARTBEAT:
		if (wire_get_heartbeat(m, &hb) == WIRE_OK) {
			/* the helper's own pace, within sane bounds (0.1 s .. 10 min) */
			uint64_t gap_ms = hb.uptime_ms - h->uptime_ms;
			if (h->have_heartbeat && hb.uptime_ms < h->uptime_ms) {
				/* one instance's monotonic uptime cannot go down */
				log_warnx("%s: heartbeat refused: uptime %llu ms after %llu ms", role_name(role),
					  (unsigned long long)hb.uptime_ms,
					  (unsigned long long)h->uptime_ms);
				h->refused_heartbeats++;
				break;
			}
			if (h->have_heartbeat && hb.uptime_ms > h->uptime_ms &&
			    gap_ms >= 100 && gap_ms <= 600000)
				h->interval_ns = gap_ms * NSEC_PER_MSEC;
			h->have_heartbeat = true;
			h->uptime_ms = hb.uptime_ms;
			h->send_drops = hb.send_drops;
		}
		break;
	case WIRE_CAP_STATS:
		on_cap_stats(s, h->instance_id, m, now);
		break;
	case WIRE_CAP_DEVICES:
		on_cap_devices(s, h->instance_id, m, now);
		break;
	case WIRE_ARP_STATS:
	case WIRE_ARP_DEVICES:
	case WIRE_ARP_EVENTS:
		arpview_record(&s->arp, m);
		break;
	case WIRE_SYS_METRICS:
	case WIRE_SYS_DISKS:
	case WIRE_SYS_IFACES:
		sysview_record(&s->sys, m, now);
		break;
	}
}

struct hub_events state_hub_events(struct reporter_state *s)
{
	return (struct hub_events){
		.ctx = s,
		.connected = on_connected,
		.record = on_record,
		.disconnected = on_disconnected,
		.rejected = on_rejected,
	};
}

void state_capture_totals(const struct reporter_state *s, struct wire_cap_stats *out)
{
	*out = s->capture.base;
	add_stats(out, &s->capture.cur);
	out->table_used = s->capture.cur.table_used;
	out->table_capacity = s->capture.cur.table_capacity;
}
