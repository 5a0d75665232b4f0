#include "passive.h"

#include <stdio.h>
#include <string.h>

#include "mdns.h"
#include "nbns.h"

enum passive_kind passive_kind_of(uint16_t sport, uint16_t dport)
{
	if (sport == DHCP_CLIENT_PORT && dport == DHCP_SERVER_PORT)
		return PASSIVE_DHCP;
	if (sport == MDNS_PORT)
		return PASSIVE_MDNS;
	if (sport == NBNS_PORT)
		return PASSIVE_NBNS;
	return PASSIVE_NONE;
}

static struct passive_name *add(struct passive_result *r, enum name_source s, const char *name)
{
	if (r->n == PASSIVE_NAMES_MAX || name[0] == '\0')
		return NULL;
	struct passive_name *p = &r->names[r->n++];
	memset(p, 0, sizeof(*p));
	p->source = s;
	snprintf(p->name, sizeof(p->name), "%s", name);
	return p;
}

static void put_ip4(struct passive_name *p, uint32_t ip)
{
	p->family = 4;
	p->addr[0] = (uint8_t)(ip >> 24);
	p->addr[1] = (uint8_t)(ip >> 16);
	p->addr[2] = (uint8_t)(ip >> 8);
	p->addr[3] = (uint8_t)ip;
}

static void dhcp(const struct passive_udp *u, struct passive_result *r)
{
	struct dhcp_info d;
	r->err = dhcp_parse(u->payload, u->len, &d);
	if (r->err != DHCP_OK)
		return;
	memcpy(r->about_mac, d.chaddr, 6);
	_Static_assert(sizeof(d.vendor_class) == sizeof(r->about.vendor_class) &&
		       sizeof(d.params) == sizeof(r->about.fingerprint), "DHCP attributes");
	memcpy(r->about.vendor_class, d.vendor_class, sizeof(r->about.vendor_class));
	memcpy(r->about.fingerprint, d.params, sizeof(r->about.fingerprint));
	memcpy(r->fqdn, d.fqdn, sizeof(r->fqdn));
	r->refused = d.refused;
	struct passive_name *p = add(r, NAME_SRC_DHCP, d.hostname);
	if (!p)
		return;
	/* the client's MAC is chaddr (a relay may have sent the frame); its
	 * address is the one it uses, else the one it asks for */
	p->mac_known = true;
	memcpy(p->mac, d.chaddr, 6);
	if (d.ciaddr || d.requested_ip)
		put_ip4(p, d.ciaddr ? d.ciaddr : d.requested_ip);
}

static void mdns(const struct passive_udp *u, struct passive_result *r)
{
	struct mdns_info m;
	struct mdns_addr src;
	memset(&src, 0, sizeof(src));
	src.family = u->family;
	memcpy(src.a, u->src, sizeof(src.a));
	r->err = mdns_parse(u->payload, u->len, &src, &m);
	memcpy(r->about_mac, u->eth_src, 6);
	_Static_assert(sizeof(m.model) == sizeof(r->about.model) &&
		       sizeof(m.hinfo_cpu) == sizeof(r->about.hinfo_cpu) &&
		       sizeof(m.hinfo_os) == sizeof(r->about.hinfo_os), "mDNS attributes");
	memcpy(r->about.model, m.model, sizeof(r->about.model));
	memcpy(r->about.hinfo_cpu, m.hinfo_cpu, sizeof(r->about.hinfo_cpu));
	memcpy(r->about.hinfo_os, m.hinfo_os, sizeof(r->about.hinfo_os));
	r->refused = m.refused;
	for (size_t i = 0; i < m.nhosts; i++) {
		struct passive_name *p = add(r, NAME_SRC_MDNS, m.hosts[i].name);
		if (!p)
			return;
		p->family = m.hosts[i].addr.family;
		memcpy(p->addr, m.hosts[i].addr.a, sizeof(p->addr));
		if (m.hosts[i].is_source) {
			p->mac_known = true;
			memcpy(p->mac, u->eth_src, 6);
		}
	}
}

static void nbns(const struct passive_udp *u, struct passive_result *r)
{
	struct nbns_info nb;
	r->err = nbns_parse(u->payload, u->len, &nb);
	memcpy(r->about_mac, u->eth_src, 6);
	r->refused = nb.refused;
	for (size_t i = 0; i < nb.n; i++) {
		if (!nbns_is_host_name(&nb.names[i]))
			continue;
		bool dup = false;   /* NAME<00> and NAME<20> are one name here */
		for (size_t k = 0; k < r->n; k++)
			dup |= strcmp(r->names[k].name, nb.names[i].name) == 0;
		if (dup)
			continue;
		struct passive_name *p = add(r, NAME_SRC_NETBIOS, nb.names[i].name);
		if (!p)
			return;
		put_ip4(p, nb.names[i].addr);
		if (u->family == 4 && memcmp(p->addr, u->src, 4) == 0) {
			p->mac_known = true;
			memcpy(p->mac, u->eth_src, 6);
		}
	}
}

enum passive_kind passive_parse(const struct passive_udp *u, struct passive_result *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = passive_kind_of(u->sport, u->dport);
	switch (r->kind) {
	case PASSIVE_DHCP:
		if (u->family == 4)
			dhcp(u, r);
		else
			r->kind = PASSIVE_NONE;
		break;
	case PASSIVE_MDNS:
		mdns(u, r);
		break;
	case PASSIVE_NBNS:
		if (u->family == 4)
			nbns(u, r);
		else
			r->kind = PASSIVE_NONE;
		break;
	case PASSIVE_NONE:
		break;
	}
	return r->kind;
}
