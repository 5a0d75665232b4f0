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
	/* unsupported link types decode to nothing */
	assert_false(capd_decode_supported(DLT_NULL));
	assert_int_equal(decode(DLT_NULL, &v4, n4, n4).flags, 0);
	assert_true(capd_decode_supported(DLT_LINUX_SLL2));
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
		cmocka_unit_test(test_account_rules),
		cmocka_unit_test(test_account_networks_match_cidr),
		cmocka_unit_test(test_account_no_allocation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
