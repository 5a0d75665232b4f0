/* Unit tests for capd's frame decoder (capd/decode.c) and the SPEC §4
 * crediting rules on top of it (capd/account.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pcap/dlt.h>
#include <sys/socket.h>

#include "../../capd/account.h"
#include "../../capd/decode.h"
#include "../../capd/table.h"
#include "capd_alloc_count.h"

/* A frame under construction. */
struct fb {
	uint8_t b[2048];
	size_t n;
};

static void put(struct fb *f, const void *p, size_t n)
{
	assert_true(f->n + n <= sizeof(f->b));
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void put16(struct fb *f, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	put(f, b, 2);
}

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t MAC_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t MAC_MCAST[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t IP4_A[4] = { 192, 0, 2, 1 };
static const uint8_t IP4_B[4] = { 198, 51, 100, 2 };
static const uint8_t IP6_A[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t IP6_B[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

static void eth_hdr(struct fb *f, const uint8_t dst[6], const uint8_t src[6])
{
	put(f, dst, 6);
	put(f, src, 6);
}

/* IPv4 header: vihl, total length, then IHL*4 - 20 bytes of options
 * (at least a 20-byte header is always written). */
static void ipv4_hdr(struct fb *f, uint8_t vihl, uint16_t total)
{
	uint8_t zero[60] = { 0 };
	put(f, &vihl, 1);
	put(f, zero, 1);
	put16(f, total);
	put(f, zero, 8);
	put(f, IP4_A, 4);
	put(f, IP4_B, 4);
	unsigned ihl = (vihl & 0x0fu) * 4;
	if (ihl > 20)
		put(f, zero, ihl - 20);
}

static void ipv6_hdr(struct fb *f, uint8_t first)
{
	uint8_t zero[8] = { 0 };
	put(f, &first, 1);
	put(f, zero, 7);
	put(f, IP6_A, 16);
	put(f, IP6_B, 16);
}

static struct capd_frame_info decode(int dlt, const struct fb *f, uint32_t caplen, uint32_t wirelen)
{
	struct capd_frame_info fi;
	memset(&fi, 0xa5, sizeof(fi));     /* the decoder must fill what it reports */
	capd_decode_frame(dlt, f->b, caplen, wirelen, &fi);
	return fi;
}

static void assert_ipv4(const struct capd_frame_info *fi)
{
	assert_true(fi->flags & CAPD_FRAME_IP);
	assert_int_equal(fi->ip_family, AF_INET);
	assert_memory_equal(fi->ip_src, IP4_A, 4);
	assert_memory_equal(fi->ip_dst, IP4_B, 4);
	static const uint8_t zero[12];
	assert_memory_equal(fi->ip_src + 4, zero, 12);   /* a zero-padded table key */
	assert_memory_equal(fi->ip_dst + 4, zero, 12);
}

static void test_ethernet_ipv4_unicast(void **state)
{
	(void)state;
	struct fb f = { .n = 0 };
	eth_hdr(&f, MAC_B, MAC_A);
	put16(&f, 0x0800);
	ipv4_hdr(&f, 0x45, 20);
	struct capd_frame_info fi = decode(DLT_EN10MB, &f, (uint32_t)f.n, 60);
	assert_int_equal(fi.flags, CAPD_FRAME_MAC_SRC | CAPD_FRAME_MAC_DST | CAPD_FRAME_IP);
	assert_memory_equal(fi.mac_src, MAC_A, 6);
	assert_memory_equal(fi.mac_dst, MAC_B, 6);
	assert_ipv4(&fi);
}

static void test_broadcast_multicast_no_rx(void **state)
{
	(void)state;
	const uint8_t *dsts[] = { MAC_BCAST, MAC_MCAST };
	for (size_t i = 0; i < 2; i++) {
		struct fb f = { .n = 0 };
		eth_hdr(&f, dsts[i], MAC_A);
		put16(&f, 0x0806);
		struct capd_frame_info fi = decode(DLT_EN10MB, &f, (uint32_t)f.n, 60);
		assert_int_equal(fi.flags, CAPD_FRAME_MAC_SRC);
	}
}

static void test_vlan_stacks(void **state)
{
	(void)state;
	static const uint16_t tpids[] = { 0x8100, 0x88a8, 0x9100 };
	for (size_t depth = 1; depth <= 5; depth++) {
		struct fb f = { .n = 0 };
		eth_hdr(&f, MAC_B, MAC_A);
		for (size_t d = 0; d < depth; d++) {
			put16(&f, tpids[d % 3]);
			put16(&f, (uint16_t)(100 + d));
		}
		put16(&f, 0x86dd);
		ipv6_hdr(&f, 0x60);
		struct capd_frame_info fi = decode(DLT_EN10MB, &f, (uint32_t)f.n, (uint32_t)f.n);
		assert_true(fi.flags & CAPD_FRAME_IP);
		assert_int_equal(fi.ip_family, AF_INET6);
		assert_memory_equal(fi.ip_src, IP6_A, 16);
		assert_memory_equal(fi.ip_dst, IP6_B, 16);
		/* one byte short of the IPv6 header: MACs only */
		fi = decode(DLT_EN10MB, &f, (uint32_t)f.n - 1, 1500);
		assert_int_equal(fi.flags, CAPD_FRAME_MAC_SRC | CAPD_FRAME_MAC_DST);
	}
}

static void test_runts(void **state)
{
	(void)state;
	struct fb f = { .n = 0 };
	eth_hdr(&f, MAC_B, MAC_A);
	put16(&f, 0x0800);
	ipv4_hdr(&f, 0x45, 20);
	/* shorter than an Ethernet header on the wire: nothing at all */
	for (uint32_t len = 0; len < 14; len++)
		assert_int_equal(decode(DLT_EN10MB, &f, len, len).flags, 0);
	/* Ethernet complete, IPv4 header incomplete on the wire: MACs only */
	for (uint32_t len = 14; len < 34; len++)
		assert_int_equal(decode(DLT_EN10MB, &f, len, len).flags,
				 CAPD_FRAME_MAC_SRC | CAPD_FRAME_MAC_DST);
	assert_true(decode(DLT_EN10MB, &f, 34, 34).flags & CAPD_FRAME_IP);
	/* NULL data with no bytes is fine */
	struct capd_frame_info fi;
	capd_decode_frame(DLT_EN10MB, NULL, 0, 0, &fi);
	assert_int_equal(fi.flags, 0);
}

/* Each malformed IPv4 header: the MAC layer still counts, IP does not. */
static void test_ipv4_header_rules(void **state)
{
	(void)state;
	static const struct {
		uint8_t vihl;
		uint16_t total;
		uint32_t wire;
		int counted;
	} cases[] = {
		{ 0x45, 20, 60, 1 },
		{ 0x55, 20, 60, 0 },    /* version 5 */
		{ 0x65, 20, 60, 0 },    /* version 6 in an IPv4 ethertype */
		{ 0x44, 20, 60, 0 },    /* IHL 4 */
		{ 0x40, 20, 60, 0 },    /* IHL 0 */
		{ 0x46, 20, 60, 0 },    /* IHL*4 = 24 > total length 20 */
		{ 0x46, 24, 60, 1 },    /* with options */
		{ 0x45, 0, 60, 0 },     /* total length 0 */
		{ 0x45, 65535, 60, 1 }, /* total length beyond the frame: not a rule */
		{ 0x4f, 60, 74, 1 },    /* 60-byte header exactly fits the wire */
		{ 0x4f, 60, 73, 0 },    /* one byte short on the wire */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fb f = { .n = 0 };
		eth_hdr(&f, MAC_B, MAC_A);
		put16(&f, 0x0800);
		ipv4_hdr(&f, cases[i].vihl, cases[i].total);
		uint32_t cap = (uint32_t)f.n < cases[i].wire ? (uint32_t)f.n : cases[i].wire;
		struct capd_frame_info fi = decode(DLT_EN10MB, &f, cap, cases[i].wire);
		assert_true(fi.flags & CAPD_FRAME_MAC_SRC);
		assert_int_equal(!!(fi.flags & CAPD_FRAME_IP), cases[i].counted);
	}
}

/* A snaplen cut: the header must fit in the wire length, and the addresses
 * must have been captured; options past the cut need not be. */
static void test_snaplen_cut(void **state)
{
	(void)state;
	struct fb f = { .n = 0 };
	eth_hdr(&f, MAC_B, MAC_A);
	put16(&f, 0x0800);
	ipv4_hdr(&f, 0x4f, 1500);                 /* 60-byte header */
	struct capd_frame_info fi = decode(DLT_EN10MB, &f, 34, 1514);
	assert_ipv4(&fi);
	fi = decode(DLT_EN10MB, &f, 33, 1514);    /* destination address cut */
	assert_int_equal(fi.flags, CAPD_FRAME_MAC_SRC | CAPD_FRAME_MAC_DST);
	fi = decode(DLT_EN10MB, &f, 12, 1514);    /* only the two MACs captured */
	assert_int_equal(fi.flags, CAPD_FRAME_MAC_SRC | CAPD_FRAME_MAC_DST);
	assert_memory_equal(fi.mac_src, MAC_A, 6);
	fi = decode(DLT_EN10MB, &f, 11, 1514);
	assert_int_equal(fi.flags, 0);
	/* a record claiming more captured than wire bytes is read up to len */
	fi = decode(DLT_EN10MB, &f, (uint32_t)f.n, 33);
	assert_int_equal(fi.flags, CAPD_FRAME_MAC_SRC | CAPD_FRAME_MAC_DST);
}

static void test_ipv6_rules(void **state)
{
	(void)state;
	struct fb f = { .n = 0 };
	eth_hdr(&f, MAC_B, MAC_A);
	put16(&f, 0x86dd);
	ipv6_hdr(&f, 0x6f);
	assert_true(decode(DLT_EN10MB, &f, 54, 1514).flags & CAPD_FRAME_IP);
	assert_false(decode(DLT_EN10MB, &f, 53, 1514).flags & CAPD_FRAME_IP);
	f.b[14] = 0x40;                            /* version 4 in an IPv6 ethertype */
	assert_false(decode(DLT_EN10MB, &f, 54, 1514).flags & CAPD_FRAME_IP);
}

static void test_sll(void **state)
{
	(void)state;
	struct fb f = { .n = 0 };
	uint8_t hdr[14] = { 0, 0, 0, 1, 0, 6, 0x02, 0, 0, 0, 0, 0x0a, 0, 0 };
	put(&f, hdr, sizeof(hdr));
	put16(&f, 0x8100);                         /* a VLAN tag inside SLL too */
	put16(&f, 5);
	put16(&f, 0x0800);
	ipv4_hdr(&f, 0x45, 20);
	struct capd_frame_info fi = decode(DLT_LINUX_SLL, &f, (uint32_t)f.n, (uint32_t)f.n);
	assert_int_equal(fi.flags, CAPD_FRAME_IP);  /* SLL: no MAC accounting */
	assert_ipv4(&fi);
	assert_int_equal(decode(DLT_LINUX_SLL, &f, 15, 15).flags, 0);
}

static void test_sll2(void **state)
{
	(void)state;
	struct fb f = { .n = 0 };
	put16(&f, 0x86dd);
	uint8_t rest[18] = { 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 0x02, 0, 0, 0, 0, 0x0a, 0, 0 };
	put(&f, rest, sizeof(rest));
	ipv6_hdr(&f, 0x60);
	struct capd_frame_info fi = decode(DLT_LINUX_SLL2, &f, (uint32_t)f.n, (uint32_t)f.n);
	assert_int_equal(fi.flags, CAPD_FRAME_IP);
	assert_int_equal(fi.ip_family, AF_INET6);
	assert_memory_equal(fi.ip_dst, IP6_B, 16);
	assert_int_equal(decode(DLT_LINUX_SLL2, &f, 59, 60).flags, 0);
}

static void test_raw_link_types(void **state)
{
	(void)state;
	struct fb v4 = { .n = 0 }, v6 = { .n = 0 };
	ipv4_hdr(&v4, 0x45, 20);
	ipv6_hdr(&v6, 0x60);
	uint32_t n4 = (uint32_t)v4.n, n6 = (uint32_t)v6.n;

	struct capd_frame_info fi = decode(DLT_RAW, &v4, n4, n4);
	assert_int_equal(fi.flags, CAPD_FRAME_IP);
	assert_ipv4(&fi);
	assert_int_equal(decode(CAPD_LINKTYPE_RAW, &v4, n4, n4).flags, CAPD_FRAME_IP);
	assert_int_equal(decode(DLT_RAW, &v6, n6, n6).flags, CAPD_FRAME_IP);
	assert_int_equal(decode(DLT_IPV4, &v4, n4, n4).flags, CAPD_FRAME_IP);
	assert_int_equal(decode(DLT_IPV4, &v6, n6, n6).flags, 0);
	assert_int_equal(decode(DLT_IPV6, &v6, n6, n6).flags, CAPD_FRAME_IP);
	assert_int_equal(decode(DLT_IPV6, &v4, n4, n4).flags, 0);
	assert_int_equal(decode(DLT_RAW, &v4, 19, 60).flags, 0);
	/* OpenBSD's raw IP (LINKTYPE 14) */
	assert_true(capd_decode_supported(CAPD_LINKTYPE_RAW_OPENBSD));
	assert_int_equal(decode(CAPD_LINKTYPE_RAW_OPENBSD, &v4, n4, n4).flags, CAPD_FRAME_IP);
	assert_int_equal(decode(CAPD_LINKTYPE_RAW_OPENBSD, &v6, n6, n6).flags, CAPD_FRAME_IP);
	/* unsupported link types decode to nothing, and say why */
	assert_false(capd_decode_supported(DLT_IEEE802_11_RADIO));
	assert_int_equal(decode(DLT_IEEE802_11_RADIO, &v4, n4, n4).flags, 0);
	assert_non_null(strstr(capd_decode_unsupported_reason(DLT_IEEE802_11_RADIO), "802.11"));
	assert_non_null(strstr(capd_decode_unsupported_reason(DLT_IEEE802_11), "802.11"));
	assert_non_null(strstr(capd_decode_unsupported_reason(147), "capd decodes"));
	assert_true(capd_decode_supported(DLT_LINUX_SLL2));
}

/* BSD loopback: NULL's AF in either byte order, LOOP's in network order;
 * the three AF_INET6 values of the BSDs. */
static void test_bsd_loopback(void **state)
{
	(void)state;
	static const struct {
		int dlt;
		uint8_t af[4];
		bool v6, counts;
	} cases[] = {
		{ DLT_NULL, { 2, 0, 0, 0 }, false, true },
		{ DLT_NULL, { 0, 0, 0, 2 }, false, true },   /* other byte order */
		{ DLT_NULL, { 24, 0, 0, 0 }, true, true },
		{ DLT_NULL, { 28, 0, 0, 0 }, true, true },
		{ DLT_NULL, { 0, 0, 0, 30 }, true, true },
		{ DLT_NULL, { 10, 0, 0, 0 }, true, false },  /* Linux's AF_INET6: not BSD */
		{ DLT_NULL, { 2, 0, 0, 0 }, true, false },   /* AF_INET, IPv6 inside */
		{ DLT_NULL, { 24, 0, 0, 0 }, false, false },
		{ DLT_LOOP, { 0, 0, 0, 2 }, false, true },
		{ DLT_LOOP, { 0, 0, 0, 24 }, true, true },
		{ DLT_LOOP, { 2, 0, 0, 0 }, false, false },  /* LOOP is network order only */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fb f = { .n = 0 };
		put(&f, cases[i].af, 4);
		if (cases[i].v6)
			ipv6_hdr(&f, 0x60);
		else
			ipv4_hdr(&f, 0x45, 20);
		uint32_t n = (uint32_t)f.n;
		struct capd_frame_info fi = decode(cases[i].dlt, &f, n, n);
		assert_int_equal(fi.flags, cases[i].counts ? CAPD_FRAME_IP : 0);
		if (cases[i].counts && !cases[i].v6)
			assert_ipv4(&fi);
		/* the address family cut short, or the header one byte short */
		assert_int_equal(decode(cases[i].dlt, &f, 3, n).flags, 0);
		assert_int_equal(decode(cases[i].dlt, &f, n - 1, n).flags, 0);
	}
	assert_true(capd_decode_supported(DLT_NULL));
	assert_true(capd_decode_supported(DLT_LOOP));
}

/* PPP with and without address/control, with a compressed protocol field;
 * PPP in HDLC framing and Cisco HDLC. */
static void test_ppp(void **state)
{
	(void)state;
	static const struct {
		int dlt;
		uint8_t hdr[4];
		size_t hdr_len;
		bool v6, counts;
	} cases[] = {
		{ DLT_PPP, { 0xff, 0x03, 0x00, 0x21 }, 4, false, true },
		{ DLT_PPP, { 0xff, 0x03, 0x00, 0x57 }, 4, true, true },
		{ DLT_PPP, { 0x00, 0x21 }, 2, false, true },
		{ DLT_PPP, { 0x21 }, 1, false, true },
		{ DLT_PPP, { 0xff, 0x03, 0x57 }, 3, true, true },
		{ DLT_PPP, { 0xff, 0x03, 0xc0, 0x21 }, 4, false, false },  /* LCP */
		{ DLT_PPP, { 0xff, 0x03, 0x00, 0x57 }, 4, false, false },  /* v4 under IPv6 */
		{ DLT_PPP_SERIAL, { 0xff, 0x03, 0x00, 0x21 }, 4, false, true },
		{ DLT_PPP_SERIAL, { 0x0f, 0x00, 0x08, 0x00 }, 4, false, true },
		{ DLT_PPP_SERIAL, { 0x8f, 0x00, 0x86, 0xdd }, 4, true, true },
		{ DLT_PPP_SERIAL, { 0x0f, 0x01, 0x08, 0x00 }, 4, false, false },
		{ DLT_PPP_SERIAL, { 0x00, 0x21 }, 2, false, false },  /* framing required */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fb f = { .n = 0 };
		put(&f, cases[i].hdr, cases[i].hdr_len);
		if (cases[i].v6)
			ipv6_hdr(&f, 0x60);
		else
			ipv4_hdr(&f, 0x45, 20);
		uint32_t n = (uint32_t)f.n;
		struct capd_frame_info fi = decode(cases[i].dlt, &f, n, n);
		assert_int_equal(fi.flags, cases[i].counts ? CAPD_FRAME_IP : 0);
		if (cases[i].counts && !cases[i].v6)
			assert_ipv4(&fi);
		for (uint32_t cut = 0; cut <= cases[i].hdr_len; cut++)
			assert_int_equal(decode(cases[i].dlt, &f, cut, n).flags, 0);
		/* the IPv4 header one byte past the wire length */
		if (cases[i].counts && !cases[i].v6)
			assert_int_equal(decode(cases[i].dlt, &f, n, n - 1).flags, 0);
	}
}

static void pppoe_hdr(struct fb *f, uint8_t ver_type, uint8_t code, uint16_t proto)
{
	uint8_t h[6] = { ver_type, code, 0x12, 0x34, 0, 0 };
	put(f, h, 6);
	put16(f, proto);
}

static void test_pppoe(void **state)
{
	(void)state;
	struct fb f = { .n = 0 };
	eth_hdr(&f, MAC_B, MAC_A);
	put16(&f, 0x8864);
	pppoe_hdr(&f, 0x11, 0, 0x0021);
	ipv4_hdr(&f, 0x45, 20);
	uint32_t n = (uint32_t)f.n;
	struct capd_frame_info fi = decode(DLT_EN10MB, &f, n, n);
	assert_int_equal(fi.flags, CAPD_FRAME_MAC_SRC | CAPD_FRAME_MAC_DST | CAPD_FRAME_IP);
	assert_ipv4(&fi);
	/* every cut before the end of the IPv4 addresses leaves the MACs only */
	for (uint32_t cut = 12; cut < n; cut++)
		assert_int_equal(decode(DLT_EN10MB, &f, cut, n).flags,
				 CAPD_FRAME_MAC_SRC | CAPD_FRAME_MAC_DST);
	/* the IPv4 header must fit in the wire length behind the 8 PPPoE bytes */
	assert_int_equal(decode(DLT_EN10MB, &f, n, n - 1).flags,
			 CAPD_FRAME_MAC_SRC | CAPD_FRAME_MAC_DST);

	/* IPv6, behind a VLAN tag */
	struct fb g = { .n = 0 };
	eth_hdr(&g, MAC_B, MAC_A);
	put16(&g, 0x8100);
	put16(&g, 7);
	put16(&g, 0x8864);
	pppoe_hdr(&g, 0x11, 0, 0x0057);
	ipv6_hdr(&g, 0x60);
	fi = decode(DLT_EN10MB, &g, (uint32_t)g.n, (uint32_t)g.n);
	assert_true(fi.flags & CAPD_FRAME_IP);
	assert_int_equal(fi.ip_family, AF_INET6);

	/* not a session data frame, or not IP inside: MACs only */
	static const struct {
		uint16_t ethertype;
		uint8_t ver_type, code;
		uint16_t proto;
	} no_ip[] = {
		{ 0x8863, 0x11, 0, 0x0021 },   /* discovery */
		{ 0x8864, 0x21, 0, 0x0021 },   /* version 2 */
		{ 0x8864, 0x12, 0, 0x0021 },   /* type 2 */
		{ 0x8864, 0x11, 0x09, 0x0021 },/* a discovery code */
		{ 0x8864, 0x11, 0, 0xc021 },   /* LCP */
		{ 0x8864, 0x11, 0, 0x0057 },   /* IPv6 announced, IPv4 inside */
	};
	for (size_t i = 0; i < sizeof(no_ip) / sizeof(no_ip[0]); i++) {
		struct fb h = { .n = 0 };
		eth_hdr(&h, MAC_B, MAC_A);
		put16(&h, no_ip[i].ethertype);
		pppoe_hdr(&h, no_ip[i].ver_type, no_ip[i].code, no_ip[i].proto);
		ipv4_hdr(&h, 0x45, 20);
		assert_int_equal(decode(DLT_EN10MB, &h, (uint32_t)h.n, (uint32_t)h.n).flags,
				 CAPD_FRAME_MAC_SRC | CAPD_FRAME_MAC_DST);
	}
	/* on a Linux cooked capture too (no MACs there) */
	struct fb c = { .n = 0 };
	static const uint8_t sll[14] = { 0, 0, 0, 1, 0, 6 };
	put(&c, sll, sizeof(sll));
	put16(&c, 0x8864);
	pppoe_hdr(&c, 0x11, 0, 0x0021);
	ipv4_hdr(&c, 0x45, 20);
	fi = decode(DLT_LINUX_SLL, &c, (uint32_t)c.n, (uint32_t)c.n);
	assert_int_equal(fi.flags, CAPD_FRAME_IP);
	assert_ipv4(&fi);
}

static void mpls_lse(struct fb *f, uint32_t label, bool bottom)
{
	uint8_t b[4] = { (uint8_t)(label >> 12), (uint8_t)(label >> 4),
			 (uint8_t)((label << 4) | (bottom ? 1 : 0)), 64 };
	put(f, b, 4);
}

static void test_mpls(void **state)
{
	(void)state;
	for (unsigned depth = 1; depth <= 4; depth++) {
		for (int v6 = 0; v6 <= 1; v6++) {
			struct fb f = { .n = 0 };
			eth_hdr(&f, MAC_B, MAC_A);
			put16(&f, depth % 2 ? 0x8847 : 0x8848);
			for (unsigned i = 0; i < depth; i++)
				mpls_lse(&f, 16 + i, i == depth - 1);
			if (v6)
				ipv6_hdr(&f, 0x60);
			else
				ipv4_hdr(&f, 0x45, 20);
			uint32_t n = (uint32_t)f.n;
			struct capd_frame_info fi = decode(DLT_EN10MB, &f, n, n);
			assert_true(fi.flags & CAPD_FRAME_IP);
			assert_int_equal(fi.ip_family, v6 ? AF_INET6 : AF_INET);
			if (!v6)
				assert_ipv4(&fi);
			/* cut anywhere in the stack or the IP header: MACs only */
			for (uint32_t cut = 14; cut < n; cut++)
				assert_int_equal(decode(DLT_EN10MB, &f, cut, n).flags,
						 CAPD_FRAME_MAC_SRC | CAPD_FRAME_MAC_DST);
		}
	}
	/* no bottom-of-stack bit before the frame ends; a payload that is not
	 * IP (a pseudowire control word); IPv4 past the wire length */
	struct fb f = { .n = 0 };
	eth_hdr(&f, MAC_B, MAC_A);
	put16(&f, 0x8847);
	mpls_lse(&f, 16, false);
	mpls_lse(&f, 17, false);
	assert_int_equal(decode(DLT_EN10MB, &f, (uint32_t)f.n, (uint32_t)f.n).flags,
			 CAPD_FRAME_MAC_SRC | CAPD_FRAME_MAC_DST);
	struct fb g = { .n = 0 };
	eth_hdr(&g, MAC_B, MAC_A);
	put16(&g, 0x8847);
	mpls_lse(&g, 16, true);
	static const uint8_t control_word[4] = { 0 };
	put(&g, control_word, 4);
	ipv4_hdr(&g, 0x45, 20);
	assert_int_equal(decode(DLT_EN10MB, &g, (uint32_t)g.n, (uint32_t)g.n).flags,
			 CAPD_FRAME_MAC_SRC | CAPD_FRAME_MAC_DST);
	struct fb h = { .n = 0 };
	eth_hdr(&h, MAC_B, MAC_A);
	put16(&h, 0x8847);
	mpls_lse(&h, 16, true);
	ipv4_hdr(&h, 0x46, 24);
	assert_true(decode(DLT_EN10MB, &h, (uint32_t)h.n, (uint32_t)h.n).flags & CAPD_FRAME_IP);
	assert_int_equal(decode(DLT_EN10MB, &h, (uint32_t)h.n, (uint32_t)h.n - 1).flags,
			 CAPD_FRAME_MAC_SRC | CAPD_FRAME_MAC_DST);
	/* GRE stays outer-header-only: the inner IPv4 of an IPv4/GRE packet is
	 * not looked at (the outer addresses are credited) */
	struct fb t = { .n = 0 };
	eth_hdr(&t, MAC_B, MAC_A);
	put16(&t, 0x0800);
	ipv4_hdr(&t, 0x45, 20 + 4 + 20);
	static const uint8_t gre[4] = { 0, 0, 0x08, 0x00 };
	put(&t, gre, 4);
	static const uint8_t inner[20] = { 0x45, 0, 0, 20, [12] = 10, 0, 0, 1, 10, 0, 0, 2 };
	put(&t, inner, 20);
	struct capd_frame_info fi = decode(DLT_EN10MB, &t, (uint32_t)t.n, (uint32_t)t.n);
	assert_ipv4(&fi);
}

/* --- accounting rules on top of the decoder --- */

static const uint64_t seed[2] = { 1, 2 };

static const struct capd_table_entry *find(const struct capd_table *t, uint8_t kind,
					   const uint8_t *addr, size_t len)
{
	uint8_t key[16];
	capd_table_key(key, addr, len);
	return capd_table_find(t, kind, key);
}

static void test_account_rules(void **state)
{
	(void)state;
	struct capd_table t;
	struct capd_account a;
	struct cidr_list nets;
	char err[128];
	assert_int_equal(cidr_list_parse("192.0.2.0/24", &nets, err, sizeof(err)), 0);
	assert_int_equal(capd_table_init(&t, 64, seed), 0);
	capd_account_init(&a, &t, &nets, false);

	struct fb f = { .n = 0 };
	eth_hdr(&f, MAC_B, MAC_A);
	put16(&f, 0x0800);
	ipv4_hdr(&f, 0x45, 20);
	capd_account_frame(&a, DLT_EN10MB, f.b, 34, 1514);   /* bytes = wire length */
	capd_account_frame(&a, DLT_EN10MB, f.b, 34, 60);
	memcpy(f.b, MAC_BCAST, 6);
	capd_account_frame(&a, DLT_EN10MB, f.b, 34, 100);

	const struct capd_table_entry *e = find(&t, CAPD_KEY_MAC, MAC_A, 6);
	assert_non_null(e);
	assert_int_equal(e->tx_bytes, 1674);
	assert_int_equal(e->tx_packets, 3);
	assert_int_equal(e->rx_packets, 0);
	e = find(&t, CAPD_KEY_MAC, MAC_B, 6);
	assert_int_equal(e->rx_bytes, 1574);
	assert_int_equal(e->rx_packets, 2);
	assert_null(find(&t, CAPD_KEY_MAC, MAC_BCAST, 6));   /* broadcast credits no rx */
	e = find(&t, CAPD_KEY_IPV4, IP4_A, 4);               /* inside networks */
	assert_int_equal(e->tx_bytes, 1674);
	assert_int_equal(e->tx_packets, 3);
	assert_null(find(&t, CAPD_KEY_IPV4, IP4_B, 4));      /* outside networks */
	assert_int_equal(a.frames, 3);
	assert_int_equal(a.bytes, 1674);
	assert_int_equal(capd_table_count(&t), 3);

	/* all_addresses: the outside address counts too */
	capd_account_init(&a, &t, &nets, true);
	capd_account_frame(&a, DLT_EN10MB, f.b, 34, 100);
	e = find(&t, CAPD_KEY_IPV4, IP4_B, 4);
	assert_non_null(e);
	assert_int_equal(e->rx_bytes, 100);
	capd_table_free(&t);
}

/* The prepared network test in account.c must agree with cidr_list_contains
 * for any address and prefix length (both families, odd prefix lengths). */
static void test_account_networks_match_cidr(void **state)
{
	(void)state;
	static const char *lists[] = {
		"192.0.2.0/24", "198.18.0.0/15,10.1.2.128/25", "0.0.0.0/0", "192.0.2.77/32",
		"2001:db8::/32,fe80::/10", "2001:db8:1:2::/63,::/0", "172.16.0.0/12,2001:db8::1/128",
		"203.0.113.0/31,2001:db8:ff00::/41",
	};
	uint32_t x = 99;
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		struct cidr_list nets;
		char err[128];
		assert_int_equal(cidr_list_parse(lists[l], &nets, err, sizeof(err)), 0);
		for (int i = 0; i < 4000; i++) {
			struct capd_table t;
			struct capd_account a;
			uint8_t pkt[40] = { 0 };
			int v6 = i & 1;
			assert_int_equal(capd_table_init(&t, 4, seed), 0);
			capd_account_init(&a, &t, &nets, false);
			/* a random address near one of the prefixes: copy a prefix's
			 * bytes, then flip one random bit */
			const struct cidr *c = &nets.v[(size_t)i % nets.n];
			uint8_t addr[16];
			memcpy(addr, c->net.bytes, 16);
			x = x * 1103515245u + 12345u;
			unsigned width = v6 ? 128 : 32;
			addr[(x >> 8) % width / 8] ^= (uint8_t)(1u << ((x >> 16) % 8));
			if (v6) {
				pkt[0] = 0x60;
				memcpy(pkt + 8, addr, 16);
				memcpy(pkt + 24, addr, 16);
			} else {
				pkt[0] = 0x45;
				pkt[3] = 20;
				memcpy(pkt + 12, addr, 4);
				memcpy(pkt + 16, addr, 4);
			}
			capd_account_frame(&a, DLT_RAW, pkt, v6 ? 40 : 20, v6 ? 40 : 20);
			int family = v6 ? AF_INET6 : AF_INET;
			bool want = cidr_list_contains(&nets, family, addr);
			assert_int_equal(capd_table_count(&t) == 1, want);
			capd_table_free(&t);
		}
	}
}

static void test_account_no_allocation(void **state)
{
	(void)state;
	struct capd_table t;
	struct capd_account a;
	struct cidr_list nets = { .n = 0 };
	assert_int_equal(capd_table_init(&t, 256, seed), 0);
	capd_account_init(&a, &t, &nets, true);
	struct fb f = { .n = 0 };
	eth_hdr(&f, MAC_B, MAC_A);
	put16(&f, 0x0800);
	ipv4_hdr(&f, 0x45, 20);
	/* the marker does move when something is allocated and kept */
	unsigned long m0 = alloc_marker();
	void *volatile kept = malloc(64);   /* volatile: not optimized away */
	assert_true(alloc_marker() != m0);
	free(kept);
	unsigned long maps_before = mapping_count();
	unsigned long before = alloc_marker();
	for (uint32_t i = 0; i < 50000; i++) {
		f.b[5] = (uint8_t)i;            /* many destination MACs and IPs: */
		f.b[33] = (uint8_t)(i >> 8);    /* inserts and evictions */
		capd_account_frame(&a, DLT_EN10MB, f.b, (uint32_t)f.n, 60);
	}
	assert_int_equal(alloc_marker(), before);
	assert_int_equal(mapping_count(), maps_before);
	assert_true(t.evictions > 0);
	capd_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ethernet_ipv4_unicast),
		cmocka_unit_test(test_broadcast_multicast_no_rx),
		cmocka_unit_test(test_vlan_stacks),
		cmocka_unit_test(test_runts),
		cmocka_unit_test(test_ipv4_header_rules),
		cmocka_unit_test(test_snaplen_cut),
		cmocka_unit_test(test_ipv6_rules),
		cmocka_unit_test(test_sll),
		cmocka_unit_test(test_sll2),
		cmocka_unit_test(test_raw_link_types),
		cmocka_unit_test(test_bsd_loopback),
		cmocka_unit_test(test_ppp),
		cmocka_unit_test(test_pppoe),
		cmocka_unit_test(test_mpls),
		cmocka_unit_test(test_account_rules),
		cmocka_unit_test(test_account_networks_match_cidr),
		cmocka_unit_test(test_account_no_allocation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
