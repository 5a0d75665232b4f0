#include "frame.h"

#include <string.h>

#include "cursor.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define ETHERTYPE_IPV6 0x86dd
#define IPPROTO_ICMPV6_NUM 58
#define IPPROTO_UDP_NUM 17
#define UDP_HDR_LEN 8
#define ND_RS 133
#define ND_RA 134
#define ND_NS 135
#define ND_NA 136
#define ND_OPT_SLLA 1
#define ND_OPT_TLLA 2

static const char *const ignore_names[IGN_COUNT] = {
	[IGN_SHORT] = "short",
	[IGN_VLAN_DEPTH] = "vlan_depth",
	[IGN_ETHERTYPE] = "ethertype",
	[IGN_ARP_FORMAT] = "arp_format",
	[IGN_ARP_OP] = "arp_op",
	[IGN_BAD_SENDER] = "bad_sender",
	[IGN_ND_FORMAT] = "nd_format",
	[IGN_ND_OPTION] = "nd_option",
	[IGN_IP_FORMAT] = "ip_format",
	[IGN_IP_FRAGMENT] = "ip_fragment",
};

const char *arpd_ignore_name(enum arpd_ignore why)
{
	return (unsigned)why < IGN_COUNT ? ignore_names[why] : "?";
}

bool arpd_mac_is_unicast(const uint8_t mac[6])
{
	static const uint8_t zero[6];
	return (mac[0] & 1u) == 0 && memcmp(mac, zero, 6) != 0;
}

bool arpd_mac_is_local(const uint8_t mac[6])
{
	return (mac[0] & 2u) != 0;
}

static enum arpd_frame_kind ignore(struct arpd_frame *f, struct arpd_parse_stats *st,
				   enum arpd_ignore why)
{
	st->ignored[why]++;
	f->kind = FRAME_IGNORED;
	return FRAME_IGNORED;
}

static bool get_ipv4(struct cursor *c, uint32_t *v)
{
	return cur_be32(c, v);
}

static enum arpd_frame_kind parse_arp(struct cursor *c, struct arpd_frame *f,
				      struct arpd_parse_stats *st)
{
	uint16_t htype, ptype;
	uint8_t hlen, plen;
	if (!cur_be16(c, &htype) || !cur_be16(c, &ptype) || !cur_u8(c, &hlen) || !cur_u8(c, &plen))
		return ignore(f, st, IGN_SHORT);
	/* Ethernet (1) carrying IPv4, 6-byte MACs and 4-byte addresses: the
	 * only layout whose fields we know the size of; nothing else is guessed */
	if (htype != 1 || ptype != ETHERTYPE_IPV4 || hlen != 6 || plen != 4)
		return ignore(f, st, IGN_ARP_FORMAT);
	if (!cur_be16(c, &f->op) || !cur_bytes(c, f->sha, 6) || !get_ipv4(c, &f->spa) ||
	    !cur_bytes(c, f->tha, 6) || !get_ipv4(c, &f->tpa))
		return ignore(f, st, IGN_SHORT);
	if (f->op != ARP_OP_REQUEST && f->op != ARP_OP_REPLY)
		return ignore(f, st, IGN_ARP_OP);
	if (!arpd_mac_is_unicast(f->sha))
		return ignore(f, st, IGN_BAD_SENDER);
	st->arp++;
	f->kind = FRAME_ARP;
	return FRAME_ARP;
}

/* Walk the ND options; remember a source/target link-layer address. A zero
 * length or an option running past the packet makes the message invalid
 * (RFC 4861 §4.6: such packets are silently discarded). */
static bool nd_options(struct cursor *c, uint8_t want, uint8_t mac[6], bool *found)
{
	*found = false;
	while (c->left > 0) {
		uint8_t type, len8;
		if (!cur_u8(c, &type) || !cur_u8(c, &len8) || len8 == 0)
			return false;
		struct cursor opt;
		if (!cur_sub(c, (size_t)len8 * 8 - 2, &opt))
			return false;
		if (type == want && len8 == 1 && !*found) {
			if (!cur_bytes(&opt, mac, 6))
				return false;
			*found = true;
		}
	}
	return true;
}

static enum arpd_frame_kind parse_nd(struct cursor *c, struct arpd_frame *f,
				     struct arpd_parse_stats *st)
{
	uint8_t vtc, next, hops;
	uint16_t plen;
	uint8_t src[16], dst[16];
	if (!cur_u8(c, &vtc) || !cur_skip(c, 3) || !cur_be16(c, &plen) || !cur_u8(c, &next) ||
	    !cur_u8(c, &hops) || !cur_bytes(c, src, 16) || !cur_bytes(c, dst, 16))
		return ignore(f, st, IGN_SHORT);
	/* ND messages come straight after the IPv6 header, with hop limit 255
	 * (RFC 4861: proof they were not routed here) */
	if ((vtc >> 4) != 6 || next != IPPROTO_ICMPV6_NUM || hops != 255)
		return ignore(f, st, IGN_ND_FORMAT);
	struct cursor icmp;
	if (!cur_sub(c, plen, &icmp))
		return ignore(f, st, IGN_SHORT);
	uint8_t type, code;
	if (!cur_u8(&icmp, &type) || !cur_u8(&icmp, &code) || !cur_skip(&icmp, 2))
		return ignore(f, st, IGN_SHORT);
	if (code != 0 || type < ND_RS || type > ND_NA)
		return ignore(f, st, IGN_ND_FORMAT);

	static const uint8_t unspecified[16];
	uint8_t target[16];
	uint8_t want = ND_OPT_SLLA;
	size_t fixed = type == ND_RA ? 12 : 4;
	if (!cur_skip(&icmp, fixed))
		return ignore(f, st, IGN_SHORT);
	if (type == ND_NS || type == ND_NA) {
		if (!cur_bytes(&icmp, target, 16))
			return ignore(f, st, IGN_SHORT);
		if (target[0] == 0xff)
			return ignore(f, st, IGN_ND_FORMAT);
	}
	if (type == ND_NA)
		want = ND_OPT_TLLA;
	bool found;
	if (!nd_options(&icmp, want, f->mac, &found))
		return ignore(f, st, IGN_ND_OPTION);
	if (!found)
		memcpy(f->mac, f->eth_src, 6);
	if (!arpd_mac_is_unicast(f->mac))
		return ignore(f, st, IGN_BAD_SENDER);

	f->nd_type = type;
	if (type == ND_NA) {
		/* an advertisement is about its target */
		memcpy(f->ip6, target, 16);
		f->ip6_valid = true;
	} else {
		/* RS, RA, NS: the sender's own source address; :: is a DAD
		 * probe, which shows the MAC but no address yet */
		memcpy(f->ip6, src, 16);
		f->ip6_valid = memcmp(src, unspecified, 16) != 0 && src[0] != 0xff;
	}
	st->nd++;
	f->kind = FRAME_ND;
	return FRAME_ND;
}

/* A sub-cursor of `want` bytes, or of what was captured when the frame was
 * cut short (snaplen): a truncated datagram is still parsed up to the cut. */
static struct cursor take_upto(struct cursor *c, size_t want)
{
	struct cursor s;
	size_t n = want < c->left ? want : c->left;
	cur_init(&s, c->p, n);
	cur_skip(c, n);
	return s;
}

/* The UDP header at *ip (the IP payload): ports and the datagram's payload,
 * cut to the UDP length; the length must cover the header and fit what the
 * IP header said (a longer one lies; a cut capture is allowed). */
static enum arpd_frame_kind parse_udp(struct cursor *ip, size_t ip_payload_len,
				      struct arpd_frame *f, struct arpd_parse_stats *st)
{
	uint16_t ulen, sum;
	if (!cur_be16(ip, &f->sport) || !cur_be16(ip, &f->dport) || !cur_be16(ip, &ulen) ||
	    !cur_be16(ip, &sum))
		return ignore(f, st, IGN_SHORT);
	if (ulen < UDP_HDR_LEN || ulen > ip_payload_len)
		return ignore(f, st, IGN_IP_FORMAT);
	struct cursor data = take_upto(ip, (size_t)ulen - UDP_HDR_LEN);
	f->udp_payload = data.p;
	f->udp_len = data.left;
	st->udp++;
	f->kind = FRAME_UDP;
	return FRAME_UDP;
}

static enum arpd_frame_kind parse_udp4(struct cursor *c, struct arpd_frame *f,
				       struct arpd_parse_stats *st)
{
	uint8_t vihl, tos, ttl, proto;
	uint16_t total, id, frag, sum;
	uint8_t dst[4];
	if (!cur_u8(c, &vihl) || !cur_u8(c, &tos) || !cur_be16(c, &total) || !cur_be16(c, &id) ||
	    !cur_be16(c, &frag) || !cur_u8(c, &ttl) || !cur_u8(c, &proto) || !cur_be16(c, &sum) ||
	    !cur_bytes(c, f->ip_src, 4) || !cur_bytes(c, dst, 4))
		return ignore(f, st, IGN_SHORT);
	size_t ihl = (size_t)(vihl & 0x0f) * 4;
	if ((vihl >> 4) != 4 || ihl < 20 || total < ihl || proto != IPPROTO_UDP_NUM)
		return ignore(f, st, IGN_IP_FORMAT);
	/* MF set or a fragment offset: a piece of a datagram, never parsed */
	if ((frag & 0x3fff) != 0)
		return ignore(f, st, IGN_IP_FRAGMENT);
	if (!cur_skip(c, ihl - 20))             /* options */
		return ignore(f, st, IGN_SHORT);
	struct cursor ip = take_upto(c, total - ihl);   /* Ethernet padding cut off */
	f->ip_family = 4;
	return parse_udp(&ip, total - ihl, f, st);
}

static enum arpd_frame_kind parse_udp6(struct cursor *c, struct arpd_frame *f,
				       struct arpd_parse_stats *st)
{
	uint8_t vtc, next, hops, dst[16];
	uint16_t plen;
	if (!cur_u8(c, &vtc) || !cur_skip(c, 3) || !cur_be16(c, &plen) || !cur_u8(c, &next) ||
	    !cur_u8(c, &hops) || !cur_bytes(c, f->ip_src, 16) || !cur_bytes(c, dst, 16))
		return ignore(f, st, IGN_SHORT);
	/* extension headers are not walked (mDNS does not use them) */
	if ((vtc >> 4) != 6 || next != IPPROTO_UDP_NUM)
		return ignore(f, st, IGN_IP_FORMAT);
	struct cursor ip = take_upto(c, plen);
	f->ip_family = 6;
	return parse_udp(&ip, plen, f, st);
}

enum arpd_frame_kind arpd_parse_frame(const uint8_t *buf, size_t len, struct arpd_frame *f,
				      struct arpd_parse_stats *st)
{
	struct cursor c;
	uint16_t type;

	memset(f, 0, sizeof(*f));
	st->frames++;
	cur_init(&c, buf, len);
	if (!cur_bytes(&c, f->eth_dst, 6) || !cur_bytes(&c, f->eth_src, 6) || !cur_be16(&c, &type))
		return ignore(f, st, IGN_SHORT);
	while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) {
		if (f->vlan_tags == ARPD_VLAN_MAX)
			return ignore(f, st, IGN_VLAN_DEPTH);
		/* each tag is TCI + the next type: checked again every time */
		if (!cur_skip(&c, 2) || !cur_be16(&c, &type))
			return ignore(f, st, IGN_SHORT);
		f->vlan_tags++;
	}
	if (type == ETHERTYPE_ARP)
		return parse_arp(&c, f, st);
	if (type == ETHERTYPE_IPV4)
		return parse_udp4(&c, f, st);
	if (type == ETHERTYPE_IPV6) {
		uint8_t next;
		if (cur_peek_u8(&c, 6, &next) && next == IPPROTO_UDP_NUM)
			return parse_udp6(&c, f, st);
		return parse_nd(&c, f, st);
	}
	return ignore(f, st, IGN_ETHERTYPE);
}

size_t arpd_build_request(uint8_t *buf, size_t cap, const uint8_t sha[6], uint32_t spa,
			  uint32_t tpa)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	struct wcursor w;
	wcur_init(&w, buf, cap);
	wcur_bytes(&w, bcast, 6);
	wcur_bytes(&w, sha, 6);
	wcur_be16(&w, ETHERTYPE_ARP);
	wcur_be16(&w, 1);
	wcur_be16(&w, ETHERTYPE_IPV4);
	wcur_u8(&w, 6);
	wcur_u8(&w, 4);
	wcur_be16(&w, ARP_OP_REQUEST);
	wcur_bytes(&w, sha, 6);
	wcur_be32(&w, spa);
	wcur_bytes(&w, zero, 6);
	wcur_be32(&w, tpa);
	while (w.ok && cap - w.left < 60)
		wcur_u8(&w, 0);
	return w.ok ? cap - w.left : 0;
}
