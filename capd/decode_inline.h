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

#define ETH_HDR_LEN 14
#define SLL_HDR_LEN 16
#define SLL2_HDR_LEN 20
#define VLAN_TAG_LEN 4
#define IPV4_MIN_HDR 20
#define IPV6_HDR_LEN 40

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

DECODE_INLINE void decode_ethertype(struct pos *l, uint16_t ethertype, struct capd_frame_info *out)
{
	if (!skip_vlan_tags(l, &ethertype))
		return;
	if (ethertype == ETHERTYPE_IPV4)
		decode_ipv4(l, out);
	else if (ethertype == ETHERTYPE_IPV6)
		decode_ipv6(l, out);
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

	switch (dlt) {
	case DLT_EN10MB:
		decode_ethernet(&l, out);
		break;
	case DLT_LINUX_SLL:
		decode_sll(&l, out);
		break;
	case DLT_LINUX_SLL2:
		decode_sll2(&l, out);
		break;
	case DLT_RAW:
	case CAPD_LINKTYPE_RAW:
		decode_raw(&l, 0, out);
		break;
	case DLT_IPV4:
		decode_raw(&l, 4, out);
		break;
	case DLT_IPV6:
		decode_raw(&l, 6, out);
		break;
	default:
		break;
	}
}

#endif
