/* arpd's frame parser: ARP and ND frames learned from, everything malformed
 * ignored and counted by reason (never read past the frame). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "arpd/engine.h"
#include "arpd/frame.h"
#include "arpd/report.h"
#include "cursor.h"
#include "name.h"

static const uint8_t MAC_A[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t MAC_US[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

/* Ethernet + optional VLAN tags + ARP */
static size_t arp_frame(uint8_t *b, unsigned tags, uint16_t op, const uint8_t sha[6],
			uint32_t spa, const uint8_t tha[6], uint32_t tpa)
{
	size_t n = 0;
	memset(b, 0xff, 6);
	memcpy(b + 6, sha, 6);
	n = 12;
	for (unsigned i = 0; i < tags; i++) {
		b[n++] = 0x81; b[n++] = 0x00; b[n++] = 0x00; b[n++] = (uint8_t)(10 + i);
	}
	b[n++] = 0x08; b[n++] = 0x06;
	b[n++] = 0; b[n++] = 1; b[n++] = 0x08; b[n++] = 0x00; b[n++] = 6; b[n++] = 4;
	b[n++] = (uint8_t)(op >> 8); b[n++] = (uint8_t)op;
	memcpy(b + n, sha, 6); n += 6;
	b[n++] = (uint8_t)(spa >> 24); b[n++] = (uint8_t)(spa >> 16); b[n++] = (uint8_t)(spa >> 8); b[n++] = (uint8_t)spa;
	memcpy(b + n, tha, 6); n += 6;
	b[n++] = (uint8_t)(tpa >> 24); b[n++] = (uint8_t)(tpa >> 16); b[n++] = (uint8_t)(tpa >> 8); b[n++] = (uint8_t)tpa;
	return n;
}

/* Ethernet + IPv6 + ICMPv6 ND message with `opts` appended */
static size_t nd_frame(uint8_t *b, uint8_t type, const uint8_t src[16], const uint8_t target[16],
		       const uint8_t *opts, size_t optlen, uint8_t hops)
{
	size_t n = 0;
	memset(b, 0x33, 6);
	memcpy(b + 6, MAC_A, 6);
	b[12] = 0x86; b[13] = 0xdd;
	n = 14;
	size_t body = 4 + (type == 134 ? 12 : 4) + (type >= 135 ? 16 : 0) + optlen;
	uint8_t ip6[40] = { 0x60 };
	ip6[4] = (uint8_t)(body >> 8); ip6[5] = (uint8_t)body; ip6[6] = 58; ip6[7] = hops;
	memcpy(ip6 + 8, src, 16);
	ip6[24] = 0xff; ip6[25] = 0x02; ip6[39] = 1;
	memcpy(b + n, ip6, 40); n += 40;
	b[n++] = type; b[n++] = 0; b[n++] = 0; b[n++] = 0;
	size_t fixed = type == 134 ? 12 : 4;
	memset(b + n, 0, fixed); n += fixed;
	if (type >= 135) { memcpy(b + n, target, 16); n += 16; }
	if (optlen) { memcpy(b + n, opts, optlen); n += optlen; }
	return n;
}

static const uint8_t LL[16] = { 0xfe, 0x80, [15] = 0x42 };
static const uint8_t GUA[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x07 };
static const uint8_t UNSPEC[16];

static void test_arp_request_reply_and_vlan(void **state)
{
	(void)state;
	uint8_t b[128];
	struct arpd_frame f;
	struct arpd_parse_stats st = { 0 };
	for (unsigned tags = 0; tags <= 2; tags++) {
		size_t n = arp_frame(b, tags, ARP_OP_REPLY, MAC_A, 0xc6120005, MAC_US, 0xc6120001);
		assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_ARP);
		assert_int_equal(f.vlan_tags, tags);
		assert_int_equal(f.op, ARP_OP_REPLY);
		assert_int_equal(f.spa, 0xc6120005);
		assert_memory_equal(f.sha, MAC_A, 6);
	}
	assert_int_equal(st.arp, 3);
	/* three tags: more than we look through */
	size_t n = arp_frame(b, 3, ARP_OP_REQUEST, MAC_A, 1, MAC_US, 2);
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	assert_int_equal(st.ignored[IGN_VLAN_DEPTH], 1);
}

static void test_arp_truncated_everywhere(void **state)
{
	(void)state;
	uint8_t b[128];
	struct arpd_frame f;
	struct arpd_parse_stats st = { 0 };
	for (unsigned tags = 0; tags <= 2; tags++) {
		size_t n = arp_frame(b, tags, ARP_OP_REQUEST, MAC_A, 0xc6120005, MAC_US, 0xc6120001);
		for (size_t cut = 0; cut < n; cut++)
			assert_int_equal(arpd_parse_frame(b, cut, &f, &st), FRAME_IGNORED);
	}
	assert_int_equal(st.arp, 0);
	/* every cut is "short" (a VLAN tag cut in half included) except the
	 * cuts of the whole tag list, which leave an unknown type: none here */
	assert_true(st.ignored[IGN_SHORT] > 100);
	assert_int_equal(st.ignored[IGN_ARP_FORMAT], 0);
}

static void test_arp_bad_lengths_and_ops(void **state)
{
	(void)state;
	uint8_t b[128];
	struct arpd_frame f;
	struct arpd_parse_stats st = { 0 };
	size_t n = arp_frame(b, 0, ARP_OP_REQUEST, MAC_A, 1, MAC_US, 2);
	b[18] = 8;                          /* hardware length 8 */
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	b[18] = 6; b[19] = 16;              /* protocol length 16 */
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	b[19] = 4; b[15] = 6;               /* hardware type 6 (IEEE 802) */
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	assert_int_equal(st.ignored[IGN_ARP_FORMAT], 3);
	b[15] = 1; b[21] = 3;               /* RARP request */
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	assert_int_equal(st.ignored[IGN_ARP_OP], 1);
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	n = arp_frame(b, 0, ARP_OP_REPLY, bcast, 1, MAC_US, 2);
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	assert_int_equal(st.ignored[IGN_BAD_SENDER], 1);
	b[12] = 0x88; b[13] = 0xcc;         /* LLDP: not ours */
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	assert_int_equal(st.ignored[IGN_ETHERTYPE], 1);
}

static void test_nd_messages(void **state)
{
	(void)state;
	uint8_t b[256];
	struct arpd_frame f;
	struct arpd_parse_stats st = { 0 };
	static const uint8_t MAC_B[6] = { 0x00, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b };
	uint8_t tlla[8] = { 2, 1 };
	memcpy(tlla + 2, MAC_B, 6);
	/* NA: the target belongs to the target link-layer option's MAC */
	size_t n = nd_frame(b, 136, LL, GUA, tlla, sizeof(tlla), 255);
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_ND);
	assert_memory_equal(f.ip6, GUA, 16);
	assert_memory_equal(f.mac, MAC_B, 6);
	assert_true(f.ip6_valid);
	/* NS from a configured address: the source is the sender's, MAC from Ethernet */
	n = nd_frame(b, 135, LL, GUA, NULL, 0, 255);
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_ND);
	assert_memory_equal(f.ip6, LL, 16);
	assert_memory_equal(f.mac, MAC_A, 6);
	/* DAD probe (source ::): a MAC, no address */
	n = nd_frame(b, 135, UNSPEC, GUA, NULL, 0, 255);
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_ND);
	assert_false(f.ip6_valid);
	/* RS */
	n = nd_frame(b, 133, LL, NULL, NULL, 0, 255);
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_ND);
	assert_int_equal(f.nd_type, 133);
	assert_int_equal(st.nd, 4);
}

static void test_nd_malformed(void **state)
{
	(void)state;
	uint8_t b[256];
	struct arpd_frame f;
	struct arpd_parse_stats st = { 0 };
	uint8_t zero_len[8] = { 1, 0 };
	size_t n = nd_frame(b, 136, LL, GUA, zero_len, sizeof(zero_len), 255);
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	uint8_t overrun[8] = { 1, 3 };       /* claims 24 bytes, 8 there */
	n = nd_frame(b, 136, LL, GUA, overrun, sizeof(overrun), 255);
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	assert_int_equal(st.ignored[IGN_ND_OPTION], 2);
	n = nd_frame(b, 136, LL, GUA, NULL, 0, 64);   /* routed: hop limit not 255 */
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	n = nd_frame(b, 137, LL, GUA, NULL, 0, 255);  /* redirect: not used */
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	assert_int_equal(st.ignored[IGN_ND_FORMAT], 2);
	/* payload length longer than the frame */
	n = nd_frame(b, 136, LL, GUA, NULL, 0, 255);
	b[19] = 200;
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	for (size_t cut = 0; cut < n; cut++)
		assert_int_equal(arpd_parse_frame(b, cut, &f, &st), FRAME_IGNORED);
	assert_int_equal(st.nd, 0);
}

/* Ethernet (+ tags) + IPv4 (+ options) + UDP + payload; returns the length.
 * Offsets for the tests: IPv4 header at 14 + 4 * tags. */
static size_t udp4_frame(uint8_t *b, unsigned tags, const uint8_t src_mac[6], uint32_t src,
			 uint16_t sport, uint16_t dport, const void *data, size_t len,
			 size_t ip_opts)
{
	size_t n = 0;
	memset(b, 0xff, 6);
	memcpy(b + 6, src_mac, 6);
	n = 12;
	for (unsigned i = 0; i < tags; i++) {
		b[n++] = 0x81; b[n++] = 0x00; b[n++] = 0x00; b[n++] = (uint8_t)(10 + i);
	}
	b[n++] = 0x08; b[n++] = 0x00;
	size_t ihl = 20 + ip_opts, total = ihl + 8 + len;
	b[n++] = (uint8_t)(0x40 | ihl / 4); b[n++] = 0;
	b[n++] = (uint8_t)(total >> 8); b[n++] = (uint8_t)total;
	b[n++] = 0; b[n++] = 1; b[n++] = 0; b[n++] = 0;        /* id, no fragment */
	b[n++] = 64; b[n++] = 17; b[n++] = 0; b[n++] = 0;
	b[n++] = (uint8_t)(src >> 24); b[n++] = (uint8_t)(src >> 16); b[n++] = (uint8_t)(src >> 8); b[n++] = (uint8_t)src;
	memset(b + n, 0xff, 4); n += 4;
	memset(b + n, 1, ip_opts); n += ip_opts;                /* NOP options */
	b[n++] = (uint8_t)(sport >> 8); b[n++] = (uint8_t)sport;
	b[n++] = (uint8_t)(dport >> 8); b[n++] = (uint8_t)dport;
	b[n++] = (uint8_t)((len + 8) >> 8); b[n++] = (uint8_t)(len + 8);
	b[n++] = 0; b[n++] = 0;
	memcpy(b + n, data, len); n += len;
	return n;
}

/* A DHCPREQUEST from chaddr `mac` with option 12 `name`. */
static size_t dhcp_request(uint8_t *b, const uint8_t mac[6], const char *name)
{
	size_t n = 0;
	memset(b, 0, 240);
	b[0] = 1; b[1] = 1; b[2] = 6;
	memcpy(b + 28, mac, 6);
	n = 236;
	memcpy(b + n, "\x63\x82\x53\x63\x35\x01\x03\x0c", 8); n += 8;
	b[n++] = (uint8_t)strlen(name);
	memcpy(b + n, name, strlen(name)); n += strlen(name);
	b[n++] = 0xff;
	return n;
}

static void test_udp_ipv4_through_vlan_and_options(void **state)
{
	(void)state;
	uint8_t b[600], dhcp[300];
	struct arpd_frame f;
	struct arpd_parse_stats st = { 0 };
	size_t dl = dhcp_request(dhcp, MAC_A, "laptop");
	size_t n = udp4_frame(b, 2, MAC_A, 0, 68, 67, dhcp, dl, 8);
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_UDP);
	assert_int_equal(f.vlan_tags, 2);
	assert_int_equal(f.ip_family, 4);
	assert_int_equal(f.sport, 68);
	assert_int_equal(f.dport, 67);
	assert_int_equal(f.udp_len, dl);
	assert_memory_equal(f.udp_payload, dhcp, dl);
	/* Ethernet padding after the datagram is not part of it */
	memset(b + n, 0xee, 20);
	assert_int_equal(arpd_parse_frame(b, n + 20, &f, &st), FRAME_UDP);
	assert_int_equal(f.udp_len, dl);
	/* cut short (snaplen): parsed up to the cut, never past it */
	assert_int_equal(arpd_parse_frame(b, n - 10, &f, &st), FRAME_UDP);
	assert_int_equal(f.udp_len, dl - 10);
	/* every cut inside the headers is too short, never a read past the end */
	size_t hdrs = 14 + 8 + 28 + 8;
	for (size_t cut = 0; cut < hdrs; cut++)
		assert_int_equal(arpd_parse_frame(b, cut, &f, &st), FRAME_IGNORED);
	assert_int_equal(st.udp, 3);
}

static void test_udp_ipv4_malformed(void **state)
{
	(void)state;
	uint8_t b[600], dhcp[300];
	struct arpd_frame f;
	struct arpd_parse_stats st = { 0 };
	size_t dl = dhcp_request(dhcp, MAC_A, "laptop");
	size_t n = udp4_frame(b, 0, MAC_A, 0, 68, 67, dhcp, dl, 0);
	const size_t ip = 14, udp = 34;
	b[ip + 6] = 0x20;                   /* MF: first fragment */
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	b[ip + 6] = 0x00; b[ip + 7] = 0x10; /* a later fragment */
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	assert_int_equal(st.ignored[IGN_IP_FRAGMENT], 2);
	b[ip + 7] = 0;
	b[ip] = 0x44;                       /* IHL 16 bytes */
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	b[ip] = 0x4f;                       /* IHL 60: options past the datagram's UDP */
	assert_int_equal(arpd_parse_frame(b, 40, &f, &st), FRAME_IGNORED);
	b[ip] = 0x45; b[ip + 9] = 6;        /* TCP */
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	b[ip + 9] = 17; b[ip + 2] = 0; b[ip + 3] = 10;  /* total length below the header */
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	size_t total = n - 14;
	b[ip + 2] = (uint8_t)(total >> 8); b[ip + 3] = (uint8_t)total;
	b[udp + 4] = 0; b[udp + 5] = 7;     /* UDP length below its header */
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	b[udp + 4] = 0x10; b[udp + 5] = 0;  /* UDP length beyond the IP datagram */
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	assert_int_equal(st.ignored[IGN_IP_FORMAT], 5);
	assert_int_equal(st.udp, 0);
}

static void test_udp_ipv6(void **state)
{
	(void)state;
	uint8_t b[200];
	struct arpd_frame f;
	struct arpd_parse_stats st = { 0 };
	size_t n = 0;
	memset(b, 0x33, 6);
	memcpy(b + 6, MAC_A, 6);
	b[12] = 0x86; b[13] = 0xdd;
	n = 14;
	uint8_t ip6[40] = { 0x60 };
	ip6[5] = 8 + 4; ip6[6] = 17; ip6[7] = 255;
	memcpy(ip6 + 8, LL, 16);
	memcpy(b + n, ip6, 40); n += 40;
	memcpy(b + n, "\x14\xe9\x14\xe9\x00\x0c\x00\x00" "abcd", 12); n += 12;
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_UDP);
	assert_int_equal(f.ip_family, 6);
	assert_memory_equal(f.ip_src, LL, 16);
	assert_int_equal(f.sport, 5353);
	assert_int_equal(f.udp_len, 4);
	b[14 + 6] = 44;                     /* a fragment header: not walked */
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_IGNORED);
	assert_int_equal(st.ignored[IGN_ND_FORMAT], 1);
}

/* A DHCP request names its chaddr (creating the device); a NetBIOS
 * registration names the owner of its address; our own frames and names of
 * unknown addresses are not placed; the names per device are bounded. */
static void test_engine_passive_names(void **state)
{
	(void)state;
	static struct arpd_engine e;
	memset(&e, 0, sizeof(e));
	uint8_t key[16] = { 2 };
	assert_int_equal(devtable_init(&e.table, 64, 10 * 1000000000ULL, 100 * 1000000000ULL, key), 0);
	memcpy(e.own_mac, MAC_US, 6);
	uint8_t b[600], dhcp[300];
	size_t dl = dhcp_request(dhcp, MAC_A, "laptop");
	size_t n = udp4_frame(b, 0, MAC_A, 0, 68, 67, dhcp, dl, 0);
	arpd_engine_frame(&e, b, n, 1000, 5);
	struct dev_entry *d = devtable_find(&e.table, MAC_A);
	assert_non_null(d);
	assert_int_equal(d->nnames, 1);
	assert_int_equal(d->names[0].source, NAME_SRC_DHCP);
	assert_string_equal(d->names[0].name, "laptop");
	arpd_engine_frame(&e, b, n, 2000, 6);       /* refreshed, not repeated */
	assert_int_equal(d->nnames, 1);
	assert_int_equal(d->names[0].seen_mono, 2000);
	/* more distinct names than kept: the least recently seen goes */
	char nm[16];
	for (int i = 0; i < DEV_NAMES_MAX + 2; i++) {
		snprintf(nm, sizeof(nm), "n%d", i);
		dl = dhcp_request(dhcp, MAC_A, nm);
		n = udp4_frame(b, 0, MAC_A, 0, 68, 67, dhcp, dl, 0);
		arpd_engine_frame(&e, b, n, 3000 + (uint64_t)i, 7);
	}
	assert_int_equal(d->nnames, DEV_NAMES_MAX);
	for (unsigned i = 0; i < d->nnames; i++)
		assert_string_not_equal(d->names[i].name, "laptop");
	/* our own request is not learned from */
	dl = dhcp_request(dhcp, MAC_US, "self");
	n = udp4_frame(b, 0, MAC_US, 0, 68, 67, dhcp, dl, 0);
	arpd_engine_frame(&e, b, n, 4000, 8);
	assert_null(devtable_find(&e.table, MAC_US));
	/* NBNS registration of WS1 at 198.18.0.7, sent by .9 (not its own
	 * address): placed only on the owner of .7, once arpd knows it */
	static const uint8_t MAC_C[6] = { 0x00, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c };
	uint8_t nb[100];
	size_t k = 0;
	memcpy(nb, "\x12\x34\x29\x10\x00\x01\x00\x00\x00\x00\x00\x01", 12); k = 12;
	nb[k++] = 32;
	const char *nbname = "WS1";
	for (int i = 0; i < 16; i++) {
		uint8_t c = i < 3 ? (uint8_t)nbname[i] : (i < 15 ? ' ' : 0);
		nb[k++] = (uint8_t)('A' + (c >> 4));
		nb[k++] = (uint8_t)('A' + (c & 15));
	}
	nb[k++] = 0;
	memcpy(nb + k, "\x00\x20\x00\x01", 4); k += 4;
	memcpy(nb + k, "\xc0\x0c\x00\x20\x00\x01\x00\x00\x00\x3c\x00\x06\x00\x00\xc6\x12\x00\x07", 18); k += 18;
	n = udp4_frame(b, 0, MAC_A, 0xc6120009, 137, 137, nb, k, 0);
	uint64_t unplaced = e.names_unplaced;
	arpd_engine_frame(&e, b, n, 5000, 9);
	assert_int_equal(e.names_unplaced, unplaced + 1);
	n = arp_frame(b, 0, ARP_OP_REQUEST, MAC_C, 0xc6120007, MAC_US, 0xc6120001);
	arpd_engine_frame(&e, b, n, 6000, 10);
	n = udp4_frame(b, 0, MAC_A, 0xc6120009, 137, 137, nb, k, 0);
	arpd_engine_frame(&e, b, n, 7000, 11);
	struct dev_entry *c = devtable_find(&e.table, MAC_C);
	assert_non_null(c);
	assert_int_equal(c->nnames, 1);
	assert_int_equal(c->names[0].source, NAME_SRC_NETBIOS);
	assert_string_equal(c->names[0].name, "WS1");
	assert_int_equal(e.passive_msgs, 2 + DEV_NAMES_MAX + 2 + 2);   /* not our own */
	devtable_free(&e.table);
}

/* A DHCPREQUEST from chaddr `mac` with raw options (without the End). */
static size_t dhcp_with_options(uint8_t *b, const uint8_t mac[6], const void *opts, size_t len)
{
	memset(b, 0, 240);
	b[0] = 1; b[1] = 1; b[2] = 6;
	memcpy(b + 28, mac, 6);
	memcpy(b + 236, "\x63\x82\x53\x63", 4);
	memcpy(b + 240, opts, len);
	b[240 + len] = 0xff;
	return 240 + len + 1;
}

/* What a device says about itself reaches its entry and the wire: DHCP
 * options 60 and 55 on chaddr (no host name needed), the mDNS model and
 * HINFO on the sender; the newest value of each field wins, a field a
 * message lacks is kept; our own MAC and multicast senders are not used. */
static void test_engine_about(void **state)
{
	(void)state;
	static struct arpd_engine e;
	memset(&e, 0, sizeof(e));
	uint8_t key[16] = { 3 };
	assert_int_equal(devtable_init(&e.table, 64, 10 * 1000000000ULL, 100 * 1000000000ULL, key), 0);
	memcpy(e.own_mac, MAC_US, 6);
	static const uint8_t MAC_B[6] = { 0x00, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b };
	uint8_t b[600], dhcp[400];

	size_t dl = dhcp_with_options(dhcp, MAC_A, "\x3c\x08MSFT 5.0\x37\x04\x01\x03\x06\x0f", 16);
	size_t n = udp4_frame(b, 0, MAC_B, 0, 68, 67, dhcp, dl, 0);    /* relayed by B */
	arpd_engine_frame(&e, b, n, 1000, 5);
	struct dev_entry *d = devtable_find(&e.table, MAC_A);
	assert_non_null(d);
	assert_int_equal(d->nnames, 0);
	assert_string_equal(d->about.vendor_class, "MSFT 5.0");
	assert_string_equal(d->about.fingerprint, "1,3,6,15");
	assert_null(devtable_find(&e.table, MAC_B));   /* the relay is not the client */
	assert_int_equal(e.about_learned, 1);
	uint64_t serial = d->changed;
	arpd_engine_frame(&e, b, n, 1100, 6);          /* the same again: no change */
	assert_int_equal(d->changed, serial + 1);      /* (the sighting itself counts) */
	/* only option 55 this time: the fingerprint moves, the class stays */
	dl = dhcp_with_options(dhcp, MAC_A, "\x37\x03\x01\x79\x03", 5);
	n = udp4_frame(b, 0, MAC_A, 0, 68, 67, dhcp, dl, 0);
	arpd_engine_frame(&e, b, n, 1200, 7);
	assert_string_equal(d->about.vendor_class, "MSFT 5.0");
	assert_string_equal(d->about.fingerprint, "1,121,3");
	/* a hostile vendor class changes nothing */
	dl = dhcp_with_options(dhcp, MAC_A, "\x3c\x04\x1b[2J", 6);
	n = udp4_frame(b, 0, MAC_A, 0, 68, 67, dhcp, dl, 0);
	arpd_engine_frame(&e, b, n, 1300, 8);
	assert_string_equal(d->about.vendor_class, "MSFT 5.0");

	/* mDNS from B: a _device-info model and HINFO, no A record */
	uint8_t md[200];
	size_t k = 0;
	memcpy(md, "\x00\x00\x84\x00\x00\x00\x00\x02\x00\x00\x00\x00", 12); k = 12;
	memcpy(md + k, "\x02tv\x0c_device-info\x04_tcp\x05local\x00", 28); k += 28;
	memcpy(md + k, "\x00\x10\x00\x01\x00\x00\x11\x94\x00\x0f\x0emodel=AppleTV6", 25); k += 25;
	memcpy(md + k, "\xc0\x0c\x00\x0d\x00\x01\x00\x00\x11\x94\x00\x09\x03" "ARM\x04tvOS", 21); k += 21;
	n = udp4_frame(b, 0, MAC_B, 0xc6120009, 5353, 5353, md, k, 0);
	arpd_engine_frame(&e, b, n, 2000, 9);
	struct dev_entry *tv = devtable_find(&e.table, MAC_B);
	assert_non_null(tv);
	assert_string_equal(tv->about.model, "AppleTV6");
	assert_string_equal(tv->about.hinfo_cpu, "ARM");
	assert_string_equal(tv->about.hinfo_os, "tvOS");
	assert_string_equal(tv->about.vendor_class, "");
	/* our own, and a multicast source MAC: not learned from */
	n = udp4_frame(b, 0, MAC_US, 0xc6120001, 5353, 5353, md, k, 0);
	arpd_engine_frame(&e, b, n, 2100, 10);
	assert_null(devtable_find(&e.table, MAC_US));
	static const uint8_t MCAST[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };
	n = udp4_frame(b, 0, MCAST, 0xc6120009, 5353, 5353, md, k, 0);
	arpd_engine_frame(&e, b, n, 2200, 11);
	assert_null(devtable_find(&e.table, MCAST));

	/* on the wire: the entries carry it, and decode to the same */
	struct wire_arp_device w, out;
	struct wire_arp_devices_hdr h = { .generation = 1, .part = 0, .parts = 1, .count = 1 }, h2;
	static uint8_t rec[WIRE_HDR_LEN + WIRE_ARP_DEVICES_HDR_LEN + WIRE_ARP_DEVICE_MAX];
	struct wire_msg m;
	struct cursor c;
	arpd_wire_device(&e, tv, &w);
	size_t len = wire_put_arp_devices(rec, sizeof(rec), 1, &h, &w);
	assert_int_not_equal(len, 0);
	assert_int_equal(wire_parse(rec, len, &m), WIRE_OK);
	assert_int_equal(wire_get_arp_devices(&m, &h2, &c), WIRE_OK);
	assert_int_equal(wire_get_arp_device(&c, &out), WIRE_OK);
	assert_true(out.flags & WIRE_ARP_ABOUT);
	assert_string_equal(out.about.model, "AppleTV6");
	assert_string_equal(out.about.hinfo_os, "tvOS");
	devtable_free(&e.table);
}

static void test_build_request_roundtrip(void **state)
{
	(void)state;
	uint8_t b[64];
	struct arpd_frame f;
	struct arpd_parse_stats st = { 0 };
	size_t n = arpd_build_request(b, sizeof(b), MAC_US, 0xc6120001, 0xc6120063);
	assert_int_equal(n, 60);
	assert_int_equal(arpd_parse_frame(b, n, &f, &st), FRAME_ARP);
	assert_int_equal(f.op, ARP_OP_REQUEST);
	assert_int_equal(f.tpa, 0xc6120063);
	assert_int_equal(arpd_build_request(b, 41, MAC_US, 1, 2), 0);
	assert_true(arpd_mac_is_local(MAC_US));
	assert_false(arpd_mac_is_local(MAC_A));
}

/* The engine: replies to us match the sweep; replies to nothing we asked
 * are counted and still learned from. */
static void test_engine_matches_and_counts(void **state)
{
	(void)state;
	static struct arpd_engine e;
	memset(&e, 0, sizeof(e));
	uint8_t key[16] = { 1 };
	assert_int_equal(devtable_init(&e.table, 64, 10 * 1000000000ULL, 100 * 1000000000ULL, key), 0);
	memcpy(e.own_mac, MAC_US, 6);
	struct cidr_list r = { .n = 0 };
	char err[128];
	assert_int_equal(cidr_list_parse("198.18.0.0/29", &r, err, sizeof(err)), 0);
	assert_int_equal(sweep_init(&e.sweep, &r, 500, 2, err, sizeof(err)), 0);
	e.sweeping = true;
	uint32_t ip;
	assert_true(sweep_next(&e.sweep, 0, &ip));
	assert_int_equal(ip, 0xc6120001);
	uint8_t b[128];
	size_t n = arp_frame(b, 0, ARP_OP_REPLY, MAC_A, 0xc6120001, MAC_US, 0xc6120063);
	arpd_engine_frame(&e, b, n, 1000, 5);
	assert_int_equal(e.sweep.st.matched, 1);
	arpd_engine_frame(&e, b, n, 2000, 6);
	assert_int_equal(e.sweep.st.duplicates, 1);
	/* .5 was never asked yet */
	n = arp_frame(b, 0, ARP_OP_REPLY, MAC_A, 0xc6120005, MAC_US, 0xc6120063);
	arpd_engine_frame(&e, b, n, 3000, 7);
	assert_int_equal(e.unmatched_replies, 1);
	struct dev_entry *d = devtable_find(&e.table, MAC_A);
	assert_non_null(d);
	assert_int_equal(d->how, SEEN_SWEEP | SEEN_ARP);
	assert_int_equal(d->n4, 2);
	sweep_free(&e.sweep);
	devtable_free(&e.table);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arp_request_reply_and_vlan),
		cmocka_unit_test(test_arp_truncated_everywhere),
		cmocka_unit_test(test_arp_bad_lengths_and_ops),
		cmocka_unit_test(test_nd_messages),
		cmocka_unit_test(test_nd_malformed),
		cmocka_unit_test(test_udp_ipv4_through_vlan_and_options),
		cmocka_unit_test(test_udp_ipv4_malformed),
		cmocka_unit_test(test_udp_ipv6),
		cmocka_unit_test(test_engine_passive_names),
		cmocka_unit_test(test_engine_about),
		cmocka_unit_test(test_build_request_roundtrip),
		cmocka_unit_test(test_engine_matches_and_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
