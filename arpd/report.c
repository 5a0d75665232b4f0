#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "frame.h"

int arpd_report_init(struct arpd_report *r)
{
	memset(r, 0, sizeof(*r));
	r->devs = calloc(ARPD_REPORT_PER_RECORD, sizeof(*r->devs));
	return r->devs ? 0 : -1;
}

void arpd_report_free(struct arpd_report *r)
{
	free(r->devs);
	r->devs = NULL;
}

static void put_ipv4(uint8_t out[4], uint32_t ip)
{
	out[0] = (uint8_t)(ip >> 24);
	out[1] = (uint8_t)(ip >> 16);
	out[2] = (uint8_t)(ip >> 8);
	out[3] = (uint8_t)ip;
}

void arpd_wire_device(const struct arpd_engine *e, const struct dev_entry *d,
		      struct wire_arp_device *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->mac, d->mac, 6);
	out->flags = (uint8_t)((d->status == DEV_ACTIVE ? WIRE_ARP_ACTIVE : 0) |
			       (arpd_mac_is_local(d->mac) ? WIRE_ARP_LOCAL : 0) |
			       (d->how & SEEN_SWEEP ? WIRE_ARP_SEEN_SWEEP : 0) |
			       (d->how & SEEN_ARP ? WIRE_ARP_SEEN_ARP : 0) |
			       (d->how & SEEN_ND ? WIRE_ARP_SEEN_ND : 0));
	out->n4 = d->n4;
	for (unsigned i = 0; i < d->n4; i++)
		put_ipv4(out->ipv4[i], d->ipv4[i]);
	out->n6 = d->n6;
	memcpy(out->ipv6, d->ipv6, sizeof(out->ipv6[0]) * d->n6);
	out->first_seen_ms = d->first_seen_rt / 1000000;
	out->last_seen_ms = d->last_seen_rt / 1000000;
	if (out->last_seen_ms < out->first_seen_ms)     /* the wall clock stepped back */
		out->last_seen_ms = out->first_seen_ms;
	/* the passive names, newest first (arpd/passive.c cleaned them) */
	_Static_assert(DEV_NAMES_MAX <= WIRE_ARP_NAMES_MAX && DEV_NAME_MAX <= WIRE_ARP_NAME_MAX,
		       "device names do not fit the wire entry");
	bool taken[DEV_NAMES_MAX] = { false };
	for (unsigned k = 0; k < d->nnames; k++) {
		unsigned best = DEV_NAMES_MAX;
		for (unsigned i = 0; i < d->nnames; i++)
			if (!taken[i] && (best == DEV_NAMES_MAX ||
					  d->names[i].seen_mono > d->names[best].seen_mono))
				best = i;
		taken[best] = true;
		out->names[k].source = d->names[best].source;
		memcpy(out->names[k].name, d->names[best].name, sizeof(out->names[k].name));
	}
	out->nnames = d->nnames;
	out->about = d->about;
	const char *v = oui_lookup(&e->oui, d->mac);
	if (v)      /* oui.c keeps names to OUI_NAME_MAX (63) bytes of clean UTF-8 */
		memcpy(out->vendor, v, strlen(v) + 1);
}

void arpd_wire_stats(const struct arpd_engine *e, struct wire_arp_stats *out)
{
	uint64_t ignored = 0;
	for (int i = 0; i < IGN_COUNT; i++)
		ignored += e->parse.ignored[i];
	*out = (struct wire_arp_stats){
		.frames = e->parse.frames, .arp = e->parse.arp, .nd = e->parse.nd,
		.ignored = ignored, .unmatched = e->unmatched_replies,
		.evictions = e->table.evictions, .sweeps = e->sweeps_done,
		.events = e->table.events_total, .devices = devtable_count(&e->table),
		.capacity = devtable_capacity(&e->table), .last_found = e->last_found,
		.last_swept = e->last_swept,
	};
}

/* How many devices from entry `from` on fit one record; *next = where the
 * following record starts. */
static size_t fill(struct arpd_report *r, const struct arpd_engine *e, uint32_t from,
		   uint32_t *next)
{
	size_t used = WIRE_HDR_LEN + WIRE_ARP_DEVICES_HDR_LEN, n = 0;
	uint32_t i = from;
	for (; i < devtable_count(&e->table) && n < ARPD_REPORT_PER_RECORD; i++) {
		const struct dev_entry *d = devtable_at(&e->table, i);
		arpd_wire_device(e, d, &r->devs[n]);
		size_t sz = wire_arp_device_size(&r->devs[n]);
		if (used + sz > WIRE_MAX_LEN)
			break;
		used += sz;
		n++;
	}
	*next = i;
	return n;
}

static uint16_t count_parts(struct arpd_report *r, const struct arpd_engine *e)
{
	unsigned parts = 0;
	uint32_t at = 0, next;
	do {
		fill(r, e, at, &next);
		parts++;
		at = next;
	} while (at < devtable_count(&e->table) && parts < UINT16_MAX);
	return (uint16_t)parts;
}

/* Devices taken out of the table so far: each moves the last device into
 * the hole, perhaps from a part not sent yet to one already sent. */
static uint64_t removals(const struct arpd_engine *e)
{
	return e->table.removed + e->table.evictions;
}

void arpd_report_table_start(struct arpd_report *r, const struct arpd_engine *e)
{
	if (r->in_flight)
		return;
	r->generation++;
	r->parts = count_parts(r, e);
	r->part = 0;
	r->at = 0;
	r->removals = removals(e);
	r->in_flight = true;
}

bool arpd_report_table_continue(struct arpd_report *r, const struct arpd_engine *e,
				uint64_t (*next_seq)(void *arg), arpd_send_fn send, void *arg)
{
	while (r->in_flight) {
		uint32_t count = devtable_count(&e->table), next;
		size_t n = r->at < count ? fill(r, e, r->at, &next) : (next = r->at, 0);
		bool last = r->part + 1 == r->parts;
		if ((last && next < count) || removals(e) != r->removals) {
			/* devices came or grew since the parts were counted (the
			 * announced number cannot hold them), or one was removed
			 * (another moved, maybe behind the parts sent): a new
			 * generation */
			r->in_flight = false;
			r->restarts++;
			arpd_report_table_start(r, e);
			continue;
		}
		struct wire_arp_devices_hdr h = { .generation = r->generation, .part = r->part,
						  .parts = r->parts, .count = (uint16_t)n };
		size_t len = wire_put_arp_devices(r->buf, sizeof(r->buf), next_seq(arg), &h, r->devs);
		switch (len ? send(arg, r->buf, len) : LINK_DOWN) {
		case LINK_SENT:
			r->at = next;
			if (++r->part == r->parts)
				r->in_flight = false;
			break;
		case LINK_BLOCKED:
			return false;       /* the same part when the socket drains */
		case LINK_DOWN:
			r->in_flight = false;
			break;
		}
	}
	return true;
}

static uint64_t link_seq(void *arg)
{
	return link_next_seq(arg);
}

static enum link_result link_part(void *arg, const void *rec, size_t len)
{
	return link_try_send(arg, rec, len);
}

bool arpd_report_flush(struct arpd_report *r, const struct arpd_engine *e, struct helper_link *l)
{
	return arpd_report_table_continue(r, e, link_seq, link_part, l);
}

void arpd_report_send(struct arpd_report *r, const struct arpd_engine *e, struct helper_link *l)
{
	struct wire_arp_stats st;
	arpd_wire_stats(e, &st);
	size_t len = wire_put_arp_stats(r->buf, sizeof(r->buf), link_next_seq(l), &st);
	if (len)
		link_send(l, r->buf, len);
	if (r->link_connects != l->connects) {
		/* a new connection: the reporter wants whole generations on it */
		r->in_flight = false;
		r->link_connects = l->connects;
	}
	arpd_report_table_start(r, e);
	arpd_report_flush(r, e, l);

	const struct devtable *t = &e->table;
	if (t->n_ev == 0)
		return;
	struct wire_arp_event ev[DEV_EVENTS_MAX];
	for (uint32_t i = 0; i < t->n_ev; i++) {
		ev[i] = (struct wire_arp_event){
			.kind = t->ev[i].kind == EV_FLIP_FLOP ? WIRE_ARP_EV_FLIP_FLOP : WIRE_ARP_EV_MOVED,
			.count = t->ev[i].count, .time_ms = t->ev[i].time_rt / 1000000,
		};
		put_ipv4(ev[i].ip, t->ev[i].ip);
		memcpy(ev[i].old_mac, t->ev[i].old_mac, 6);
		memcpy(ev[i].new_mac, t->ev[i].new_mac, 6);
	}
	len = wire_put_arp_events(r->buf, sizeof(r->buf), link_next_seq(l), ev, t->n_ev);
	if (len)
		link_send(l, r->buf, len);
}
