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
	h->start_time_ns = hello->start_time_ns;
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

static void add_stats(struct wire_cap_stats *acc, const struct wire_cap_stats *v)
{
	acc->packets += v->packets;
	acc->bytes += v->bytes;
	acc->ps_recv += v->ps_recv;
	acc->ps_drop += v->ps_drop;
	acc->ps_ifdrop += v->ps_ifdrop;
	acc->evictions += v->evictions;
}

static void on_cap_stats(struct reporter_state *s, uint64_t instance, const struct wire_msg *m)
{
	struct wire_cap_stats st;
	if (wire_get_cap_stats(m, &st) != WIRE_OK) {
		log_warnx("capd: invalid cap_stats record ignored");
		return;
	}
	struct capture_state *c = &s->capture;
	/* a new capd instance starts from zero: bank the old instance's totals */
	if (c->have_stats && c->instance_id != instance)
		add_stats(&c->base, &c->cur);
	c->have_stats = true;
	c->instance_id = instance;
	c->cur = st;
}

static void on_cap_devices(struct reporter_state *s, uint64_t instance, const struct wire_msg *m,
			   uint64_t now)
{
	size_t n = wire_devices_count(m), bad = 0, first_bad = 0;
	int first_rc = WIRE_OK;
	for (size_t i = 0; i < n; i++) {
		struct wire_device d;
		int rc = wire_get_device(m, i, &d);
		if (rc != WIRE_OK) {
			if (bad++ == 0) {
				first_bad = i;
				first_rc = rc;
			}
			continue;
		}
		devtab_update(&s->devices, instance, &d, now);
	}
	/* one line per bad record, however many of its entries are bad */
	if (bad)
		log_warnx("capd: %zu of %zu device entries ignored (first: entry %zu: %s)", bad, n,
			  first_bad, wire_strerror(first_rc));
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
			if (h->have_heartbeat && hb.uptime_ms > h->uptime_ms &&
			    gap_ms >= 100 && gap_ms <= 600000)
				h->interval_ns = gap_ms * NSEC_PER_MSEC;
			h->have_heartbeat = true;
			h->uptime_ms = hb.uptime_ms;
			h->send_drops = hb.send_drops;
		}
		break;
	case WIRE_CAP_STATS:
		on_cap_stats(s, h->instance_id, m);
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
