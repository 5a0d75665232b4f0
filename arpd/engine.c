#include "engine.h"

#include <string.h>

static void learn(struct arpd_engine *e, const struct dev_obs *o, uint64_t now_mono,
		  uint64_t now_rt)
{
	struct dev_event ev;
	if (!devtable_observe(&e->table, o, now_mono, now_rt, &ev)) {
		e->not_stored++;
		return;
	}
	e->learned++;
	if (ev.kind && e->on_event)
		e->on_event(&ev, e->event_arg);
}

static void on_arp(struct arpd_engine *e, const struct arpd_frame *f, uint64_t now_mono,
		   uint64_t now_rt)
{
	struct dev_obs o = { .how = SEEN_ARP };
	if (memcmp(f->sha, e->own_mac, 6) == 0)
		return;                 /* our own requests, heard back */
	memcpy(o.mac, f->sha, 6);
	/* sender 0.0.0.0 is an address probe (RFC 5227): the MAC is there,
	 * the address is not its own yet */
	o.has_v4 = f->spa != 0;
	o.ipv4 = f->spa;

	bool to_us = f->op == ARP_OP_REPLY && memcmp(f->tha, e->own_mac, 6) == 0;
	if (to_us) {
		enum sweep_reply r = e->sweeping ? sweep_reply(&e->sweep, f->spa, f->sha, now_mono)
						 : SWEEP_UNASKED;
		if (r == SWEEP_UNASKED)
			e->unmatched_replies++;
		else
			o.how = SEEN_SWEEP;
	}
	learn(e, &o, now_mono, now_rt);
}

static void on_nd(struct arpd_engine *e, const struct arpd_frame *f, uint64_t now_mono,
		  uint64_t now_rt)
{
	struct dev_obs o = { .how = SEEN_ND };
	if (memcmp(f->mac, e->own_mac, 6) == 0)
		return;
	memcpy(o.mac, f->mac, 6);
	o.has_v6 = f->ip6_valid;
	memcpy(o.ipv6, f->ip6, 16);
	learn(e, &o, now_mono, now_rt);
}

void arpd_engine_frame(struct arpd_engine *e, const uint8_t *buf, size_t len,
		       uint64_t now_mono, uint64_t now_rt)
{
	struct arpd_frame f;
	switch (arpd_parse_frame(buf, len, &f, &e->parse)) {
	case FRAME_ARP: on_arp(e, &f, now_mono, now_rt); break;
	case FRAME_ND: on_nd(e, &f, now_mono, now_rt); break;
	case FRAME_IGNORED: break;
	}
}
