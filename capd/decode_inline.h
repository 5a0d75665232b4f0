/*
 * Frame decoder for capd, as inline functions: capd_decode_frame (decode.c)
 * is the decoder's interface, and the per-packet path (account.c) includes
 * this header so the decoder is compiled into it. Then the decoded facts
 * stay in registers instead of going through memory between two calls.
 * Include only from capd's .c files.
 *
 * Layer by layer, each header is read through a bounds-checked cursor over
 * the captured bytes; a layer that is missing or malformed stops decoding
 * there, so the layers below it still count (SPEC §4). See
 * docs/accounting.md for the rules in full.
 */
#ifndef NETMON_CAPD_DECODE_INLINE_H
#define NETMON_CAPD_DECODE_INLINE_H

#include <pcap/dlt.h>
#include <string.h>
#include <sys/socket.h>

#include "cursor.h"
#include "decode.h"

/* Layers reached from several places (IP from every link type) would
 * otherwise stay out-of-line calls, and the decoded facts would go through
 * memory on the way to the accounting. */
#define DECODE_INLINE __attribute__((always_inline)) static inline

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100    /* 802.1Q */
#define ETHERTYPE_QINQ 0x88a8    /* 802.1ad */
#define ETHERTYPE_QINQ_OLD 0x9100 /* pre-standard stacked VLAN */
#define ETHERTYPE_PPPOE_SESSION 0x8864
#define ETHERTYPE_MPLS 0x8847     /* unicast */
#define ETHERTYPE_MPLS_MC 0x8848  /* multicast */

#define PPP_PROTO_IPV4 0x0021
#define PPP_PROTO_IPV6 0x0057
#define PPP_ADDRESS 0xff          /* RFC 1662 all-stations address */
#define PPP_CONTROL 0x03          /* RFC 1662 unnumbered information */
#define CHDLC_UNICAST 0x0f        /* Cisco HDLC address bytes */
#define CHDLC_BCAST 0x8f

/* BSD loopback (DLT_NULL, DLT_LOOP): the AF_ value of the payload. AF_INET
 * is 2 everywhere; AF_INET6 is 24 on NetBSD/OpenBSD/BSD/OS, 28 on
 * FreeBSD/DragonFly and 30 on Darwin. */
#define BSD_AF_INET 2
#define BSD_AF_INET6_BSD 24
#define BSD_AF_INET6_FREEBSD 28
#define BSD_AF_INET6_DARWIN 30

#define ETH_HDR_LEN 14
#define SLL_HDR_LEN 16
#define SLL2_HDR_LEN 20
#define VLAN_TAG_LEN 4
#define IPV4_MIN_HDR 20
#define IPV6_HDR_LEN 40
#define PPPOE_HDR_LEN 6           /* ver/type, code, session id, length */
#define MPLS_LSE_LEN 4            /* one label stack entry */
#define BSD_NULL_HDR_LEN 4

/* Where decoding stands: the captured bytes still unread, and how many bytes
 * the frame still had on the wire from this point (for "fits in the wire
 * length"; it can exceed what was captured when snaplen cut the frame). */
struct pos {
	struct cursor cur;
	uint32_t wire_left;
};

static inline void pos_advance(struct pos *l, size_t n)
{
	l->wire_left = l->wire_left > n ? l->wire_left - (uint32_t)n : 0;
}

static inline bool is_vlan_ethertype(uint16_t t)
{
	return t == ETHERTYPE_VLAN || t == ETHERTYPE_QINQ || t == ETHERTYPE_QINQ_OLD;
}

/* Skip any number of VLAN tags; each tag is TCI(2) + inner ethertype(2).
 * Returns false when a tag is cut short (no IP layer then). */
static inline bool skip_vlan_tags(struct pos *l, uint16_t *ethertype)
{
	while (is_vlan_ethertype(*ethertype)) {
		if (!cur_skip(&l->cur, 2) || !cur_be16(&l->cur, ethertype))
			return false;
		pos_advance(l, VLAN_TAG_LEN);
	}
	return true;
}

/*
 * IPv4 counts when version 4, IHL >= 5, IHL*4 <= total length, the IHL*4
 * header fits in the wire length, and the 20 bytes up to the destination
 * address were captured (options beyond a snaplen cut need not be).
 */
DECODE_INLINE void decode_ipv4(struct pos *l, struct capd_frame_info *out)
{
	struct cursor c = l->cur;
	uint8_t vihl;
	uint16_t total_len;

	if (c.left < IPV4_MIN_HDR)
		return;
	cur_u8(&c, &vihl);
	if (vihl >> 4 != 4)
		return;
	unsigned hdr_len = (unsigned)(vihl & 0x0f) * 4;
	if (hdr_len < IPV4_MIN_HDR)
		return;
	cur_skip(&c, 1);                      /* DSCP/ECN */
	cur_be16(&c, &total_len);
	if (hdr_len > total_len || hdr_len > l->wire_left)
		return;
	cur_skip(&c, 8);                      /* id, flags/frag, ttl, proto, csum */
	cur_bytes(&c, out->ip_src, 4);
	cur_bytes(&c, out->ip_dst, 4);
	out->ip_family = AF_INET;
	out->flags |= CAPD_FRAME_IP;
}

/* IPv6 counts when version 6 and the whole 40-byte header was captured. */
DECODE_INLINE void decode_ipv6(struct pos *l, struct capd_frame_info *out)
{
	struct cursor c = l->cur;
	uint8_t v;

	if (c.left < IPV6_HDR_LEN || !cur_peek_u8(&c, 0, &v) || v >> 4 != 6)
		return;
	cur_skip(&c, 8);                      /* version/class/flow, len, next, hops */
	cur_bytes(&c, out->ip_src, 16);
	cur_bytes(&c, out->ip_dst, 16);
	out->ip_family = AF_INET6;
	out->flags |= CAPD_FRAME_IP;
}

/*
 * PPP's protocol field, 2 bytes or 1 when compressed (RFC 1661 section 6.5:
 * the first byte of a 2-byte value is even, a 1-byte value is odd). IPv4
 * and IPv6 go on to IP; any other protocol (LCP, IPCP, MPLS, ...) ends
 * decoding.
 */
DECODE_INLINE void decode_ppp_proto(struct pos *l, struct capd_frame_info *out)
{
	uint8_t first;
	uint16_t proto;

	if (!cur_peek_u8(&l->cur, 0, &first))
		return;
	if (first & 1) {
		cur_skip(&l->cur, 1);
		proto = first;
		pos_advance(l, 1);
	} else {
		if (!cur_be16(&l->cur, &proto))
			return;
		pos_advance(l, 2);
	}
	if (proto == PPP_PROTO_IPV4)
		decode_ipv4(l, out);
	else if (proto == PPP_PROTO_IPV6)
		decode_ipv6(l, out);
}

/*
 * PPPoE session stage (RFC 2516): version 1, type 1, code 0, then the
 * session id and a length (not used: bytes come from the wire length), then
 * the PPP protocol field. Discovery frames (0x8863) carry no IP.
 */
static inline void decode_pppoe_session(struct pos *l, struct capd_frame_info *out)
{
	uint8_t ver_type, code;

	if (!cur_peek_u8(&l->cur, 0, &ver_type) || !cur_peek_u8(&l->cur, 1, &code) ||
	    ver_type != 0x11 || code != 0 || !cur_skip(&l->cur, PPPOE_HDR_LEN))
		return;
	pos_advance(l, PPPOE_HDR_LEN);
	decode_ppp_proto(l, out);
}

/*
 * MPLS: skip label stack entries up to the one with the bottom-of-stack bit;
 * the payload's first nibble then says IPv4 or IPv6 (anything else, e.g. a
 * pseudowire control word, ends decoding). Every entry must be captured.
 */
static inline void decode_mpls(struct pos *l, struct capd_frame_info *out)
{
	uint8_t v;

	for (;;) {
		uint8_t bos;
		if (!cur_peek_u8(&l->cur, 2, &bos) || !cur_skip(&l->cur, MPLS_LSE_LEN))
			return;
		pos_advance(l, MPLS_LSE_LEN);
		if (bos & 0x01)
			break;
	}
	if (!cur_peek_u8(&l->cur, 0, &v))
		return;
	if (v >> 4 == 4)
		decode_ipv4(l, out);
	else if (v >> 4 == 6)
		decode_ipv6(l, out);
}

/* The layer an ethertype announces. IPv4 and IPv6 are tested first: they
 * are most frames, and the encapsulations cost them nothing. */
DECODE_INLINE void decode_ethertype(struct pos *l, uint16_t ethertype, struct capd_frame_info *out)
{
	if (!skip_vlan_tags(l, &ethertype))
		return;
	if (ethertype == ETHERTYPE_IPV4)
		decode_ipv4(l, out);
	else if (ethertype == ETHERTYPE_IPV6)
		decode_ipv6(l, out);
	else if (ethertype == ETHERTYPE_PPPOE_SESSION)
		decode_pppoe_session(l, out);
	else if (ethertype == ETHERTYPE_MPLS || ethertype == ETHERTYPE_MPLS_MC)
		decode_mpls(l, out);
}

/* Raw IP: the version nibble says which; DLT_IPV4/DLT_IPV6 allow only one. */
DECODE_INLINE void decode_raw(struct pos *l, int only_version, struct capd_frame_info *out)
{
	uint8_t v;

	if (!cur_peek_u8(&l->cur, 0, &v))
		return;
	v >>= 4;
	if (only_version && v != only_version)
		return;
	if (v == 4)
		decode_ipv4(l, out);
	else if (v == 6)
		decode_ipv6(l, out);
}

/*
 * Ethernet: the MAC layer counts when the 14-byte header fits in the wire
 * length and both addresses (the first 12 bytes) were captured; the
 * ethertype is needed only to go on to IP.
 */
static inline void decode_ethernet(struct pos *l, struct capd_frame_info *out)
{
	struct cursor dst, src;
	uint16_t ethertype;

	if (l->wire_left < ETH_HDR_LEN || l->cur.left < 12)
		return;
	cur_sub(&l->cur, 6, &dst);
	cur_sub(&l->cur, 6, &src);
	out->mac_src = src.p;
	out->mac_dst = dst.p;
	out->flags |= CAPD_FRAME_MAC_SRC;
	/* I/G bit (least significant bit of the first octet) clear = unicast */
	if ((dst.p[0] & 0x01) == 0)
		out->flags |= CAPD_FRAME_MAC_DST;
	if (!cur_be16(&l->cur, &ethertype))
		return;
	pos_advance(l, ETH_HDR_LEN);
	decode_ethertype(l, ethertype, out);
}

/* Linux cooked v1: 16-byte header, protocol (ethertype) in its last 2 bytes.
 * It carries only the sender's link-layer address, so no MAC accounting. */
static inline void decode_sll(struct pos *l, struct capd_frame_info *out)
{
	uint16_t proto;

	if (!cur_skip(&l->cur, SLL_HDR_LEN - 2) || !cur_be16(&l->cur, &proto))
		return;
	pos_advance(l, SLL_HDR_LEN);
	decode_ethertype(l, proto, out);
}

/* Linux cooked v2: 20-byte header, protocol (ethertype) in its first 2 bytes. */
static inline void decode_sll2(struct pos *l, struct capd_frame_info *out)
{
	uint16_t proto;

	if (!cur_be16(&l->cur, &proto) || !cur_skip(&l->cur, SLL2_HDR_LEN - 2))
		return;
	pos_advance(l, SLL2_HDR_LEN);
	decode_ethertype(l, proto, out);
}

/*
 * BSD loopback: a 4-byte AF_ value, then the IP packet. DLT_NULL writes it
 * in the capturing host's byte order (AF values are small, so a value with
 * its upper half set was written by a host of the other order), DLT_LOOP in
 * network byte order.
 */
static inline void decode_bsd_loopback(struct pos *l, bool network_order,
				       struct capd_frame_info *out)
{
	uint32_t af;

	if (network_order) {
		if (!cur_be32(&l->cur, &af))
			return;
	} else {
		if (!cur_le32(&l->cur, &af))
			return;
		if (af & 0xffff0000u)
			af = __builtin_bswap32(af);
	}
	pos_advance(l, BSD_NULL_HDR_LEN);
	if (af == BSD_AF_INET)
		decode_ipv4(l, out);
	else if (af == BSD_AF_INET6_BSD || af == BSD_AF_INET6_FREEBSD || af == BSD_AF_INET6_DARWIN)
		decode_ipv6(l, out);
}

/* PPP (DLT_PPP): RFC 1662's address and control bytes when present (they
 * may have been compressed away), then the protocol field. */
static inline void decode_ppp(struct pos *l, struct capd_frame_info *out)
{
	uint8_t a, c;

	if (cur_peek_u8(&l->cur, 0, &a) && cur_peek_u8(&l->cur, 1, &c) && a == PPP_ADDRESS &&
	    c == PPP_CONTROL) {
		cur_skip(&l->cur, 2);
		pos_advance(l, 2);
	}
	decode_ppp_proto(l, out);
}

/* PPP in HDLC-like framing (DLT_PPP_SERIAL, LINKTYPE_PPP_HDLC), not
 * byte-stuffed: 0xff 0x03 then PPP's protocol field, or Cisco HDLC (address
 * 0x0f or 0x8f, control 0) followed by an ethertype. */
static inline void decode_ppp_serial(struct pos *l, struct capd_frame_info *out)
{
	uint8_t a, c;
	uint16_t ethertype;

	if (!cur_peek_u8(&l->cur, 0, &a) || !cur_peek_u8(&l->cur, 1, &c))
		return;
	if (a == PPP_ADDRESS && c == PPP_CONTROL) {
		cur_skip(&l->cur, 2);
		pos_advance(l, 2);
		decode_ppp_proto(l, out);
	} else if ((a == CHDLC_UNICAST || a == CHDLC_BCAST) && c == 0) {
		cur_skip(&l->cur, 2);
		if (!cur_be16(&l->cur, &ethertype))
			return;
		pos_advance(l, 4);
		decode_ethertype(l, ethertype, out);
	}
}

/* capd_decode_frame (decode.h), inline. */
static inline void capd_decode_frame_inline(int dlt, const uint8_t *data, uint32_t caplen,
					    uint32_t wirelen, struct capd_frame_info *out)
{
	struct pos l;

	out->flags = 0;
	out->ip_family = 0;
	out->mac_src = NULL;
	out->mac_dst = NULL;
	memset(out->ip_src, 0, sizeof(out->ip_src));
	memset(out->ip_dst, 0, sizeof(out->ip_dst));
	/* Bytes past the wire length cannot belong to the frame: a record that
	 * claims caplen > len is read only up to len. */
	cur_init(&l.cur, data, caplen < wirelen ? caplen : wirelen);
	l.wire_left = wirelen;

	/* Ethernet first, outside the switch: with a dozen link types the switch
	 * is a compare tree that would cost every frame ~10 instructions. */
	if (__builtin_expect(dlt == DLT_EN10MB, 1)) {
		decode_ethernet(&l, out);
		return;
	}
	switch (dlt) {
	case DLT_LINUX_SLL:
		decode_sll(&l, out);
		break;
	case DLT_LINUX_SLL2:
		decode_sll2(&l, out);
		break;
	case DLT_RAW:
	case CAPD_LINKTYPE_RAW:
	case CAPD_LINKTYPE_RAW_OPENBSD:
		decode_raw(&l, 0, out);
		break;
	case DLT_IPV4:
		decode_raw(&l, 4, out);
		break;
	case DLT_IPV6:
		decode_raw(&l, 6, out);
		break;
	case DLT_NULL:
		decode_bsd_loopback(&l, false, out);
		break;
	case DLT_LOOP:
		decode_bsd_loopback(&l, true, out);
		break;
	case DLT_PPP:
		decode_ppp(&l, out);
		break;
	case DLT_PPP_SERIAL:
		decode_ppp_serial(&l, out);
		break;
	default:
		break;
	}
}

#endif
