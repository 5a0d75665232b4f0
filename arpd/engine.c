#include "engine.h"

#include <string.h>

#include "passive.h"

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

/* Which device a passive name belongs to: its MAC when the message says it
 * (the device is created or refreshed, as an ARP frame would), else the
 * current owner of its IPv4 address. IPv6-only names without a MAC have no
 * index to look up and stay unplaced. */
static struct dev_entry *name_owner(struct arpd_engine *e, const struct passive_name *p,
				    uint64_t now_mono, uint64_t now_rt)
{
	if (p->mac_known) {
		if (!arpd_mac_is_unicast(p->mac) || memcmp(p->mac, e->own_mac, 6) == 0)
			return NULL;
		struct dev_obs o = { .how = 0 };
		struct dev_event ev;
		memcpy(o.mac, p->mac, 6);
		return devtable_observe(&e->table, &o, now_mono, now_rt, &ev);
	}
	if (p->family == 4) {
		uint32_t ip = (uint32_t)p->addr[0] << 24 | (uint32_t)p->addr[1] << 16 |
			      (uint32_t)p->addr[2] << 8 | p->addr[3];
		struct dev_entry *d = devtable_owner(&e->table, ip);
		if (d && memcmp(d->mac, e->own_mac, 6) != 0)
			return d;
	}
	return NULL;
}

/* What the sender says about itself besides names (DHCP vendor class and
 * parameter-list fingerprint, mDNS model and HINFO) belongs to about_mac:
 * DHCP's chaddr, else the frame's source. The device is created or
 * refreshed, as for a name the message ties to that MAC. */
static void on_about(struct arpd_engine *e, const struct passive_result *r, uint64_t now_mono,
		     uint64_t now_rt)
{
	if (about_empty(&r->about) || !arpd_mac_is_unicast(r->about_mac) ||
	    memcmp(r->about_mac, e->own_mac, 6) == 0)
		return;
	struct dev_obs o = { .how = 0 };
	struct dev_event ev;
	memcpy(o.mac, r->about_mac, 6);
	struct dev_entry *d = devtable_observe(&e->table, &o, now_mono, now_rt, &ev);
	if (d && devtable_about(&e->table, d, &r->about) >= 0)
		e->about_learned++;
	else
		e->about_unplaced++;
}

static void on_udp(struct arpd_engine *e, const struct arpd_frame *f, uint64_t now_mono,
		   uint64_t now_rt)
{
	struct passive_udp u = {
		.family = f->ip_family, .sport = f->sport, .dport = f->dport,
		.payload = f->udp_payload, .len = f->udp_len,
	};
	struct passive_result r;
	if (memcmp(f->eth_src, e->own_mac, 6) == 0)
		return;
	memcpy(u.eth_src, f->eth_src, 6);
	memcpy(u.src, f->ip_src, sizeof(u.src));
	if (passive_parse(&u, &r) == PASSIVE_NONE)
		return;
	e->passive_msgs++;
	for (size_t i = 0; i < r.n; i++) {
		struct dev_entry *d = name_owner(e, &r.names[i], now_mono, now_rt);
		if (d && devtable_name(&e->table, d, (uint8_t)r.names[i].source, r.names[i].name,
				       now_mono) >= 0)
			e->names_learned++;
		else
			e->names_unplaced++;
	}
	on_about(e, &r, now_mono, now_rt);
}

void arpd_engine_frame(struct arpd_engine *e, const uint8_t *buf, size_t len,
		       uint64_t now_mono, uint64_t now_rt)
{
	struct arpd_frame f;
	switch (arpd_parse_frame(buf, len, &f, &e->parse)) {
	case FRAME_ARP: on_arp(e, &f, now_mono, now_rt); break;
	case FRAME_ND: on_nd(e, &f, now_mono, now_rt); break;
	case FRAME_UDP: on_udp(e, &f, now_mono, now_rt); break;
	case FRAME_IGNORED: break;
	}
}
