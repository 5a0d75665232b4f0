/*
 * arpd/name_filter.c: the packet-socket filter, run on crafted frames through
 * libpcap's userspace BPF interpreter (bpf_filter), cross-checked against
 * the same rules compiled by pcap_compile from ARPD_FILTER_PCAP_EXPR, and
 * attached to a real socket so the kernel's verifier accepts it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pcap/pcap.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "arpd/name_filter.h"
#include "pktbuf.h"

enum verdict { DROP, ACCEPT };

struct frame {
	const char *what;
	struct pkt p;
	enum verdict want;
	bool tagged;                /* pcap's expression does not cover VLAN tags */
};

static void eth(struct pkt *p, uint16_t type)
{
	p->n = 0;
	pk_bytes(p, "\xff\xff\xff\xff\xff\xff\x02\x00\x5e\x10\x00\x01", 12);
	pk_be16(p, type);
}

static void ip4_udp(struct pkt *p, unsigned ihl, uint16_t frag, uint8_t proto, uint16_t sport,
		    uint16_t dport)
{
	eth(p, 0x0800);
	pk_u8(p, (uint8_t)(0x40 | ihl));
	pk_u8(p, 0);
	pk_be16(p, (uint16_t)(ihl * 4 + 8 + 20));
	pk_be16(p, 1);
	pk_be16(p, frag);
	pk_u8(p, 64);
	pk_u8(p, proto);
	pk_be16(p, 0);
	pk_bytes(p, "\xc6\x12\x00\x17\xc6\x12\xff\xff", 8);
	pk_zero(p, (ihl - 5) * 4);          /* options */
	pk_be16(p, sport);
	pk_be16(p, dport);
	pk_be16(p, 28);
	pk_be16(p, 0);
	pk_zero(p, 20);
}

static void ip6(struct pkt *p, uint8_t next, uint16_t a, uint16_t b)
{
	eth(p, 0x86dd);
	pk_be32(p, 0x60000000);
	pk_be16(p, 28);
	pk_u8(p, next);
	pk_u8(p, 255);
	pk_bytes(p, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\x17", 16);
	pk_bytes(p, "\xff\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\xfb", 16);
	pk_be16(p, a);                      /* UDP source port, or ICMPv6 type/code */
	pk_be16(p, b);
	pk_zero(p, 24);
}

static size_t frames(struct frame *f)
{
	size_t n = 0;
#define F(w, v) (f[n].what = (w), f[n].want = (v), f[n].tagged = false, &f[n++].p)
	eth(F("arp", ACCEPT), 0x0806);
	pk_zero(&f[n - 1].p, 28);
	eth(F("802.1Q", ACCEPT), 0x8100);
	f[n - 1].tagged = true;
	pk_zero(&f[n - 1].p, 40);
	eth(F("802.1ad", ACCEPT), 0x88a8);
	f[n - 1].tagged = true;
	pk_zero(&f[n - 1].p, 40);
	eth(F("other ethertype", DROP), 0x88cc);
	pk_zero(&f[n - 1].p, 40);
	eth(F("cut inside the ethertype", DROP), 0x0806);
	f[n - 1].p.n = 13;

	ip6(F("ipv6 NS", ACCEPT), 58, 135 << 8, 0);
	ip6(F("ipv6 RS", ACCEPT), 58, 133 << 8, 0);
	ip6(F("ipv6 NA", ACCEPT), 58, 136 << 8, 0);
	ip6(F("ipv6 echo request", DROP), 58, 128 << 8, 0);
	ip6(F("ipv6 redirect (137)", DROP), 58, 137 << 8, 0);
	ip6(F("ipv6 mdns response", ACCEPT), 17, 5353, 5353);
	ip6(F("ipv6 mdns query from an ephemeral port", DROP), 17, 40000, 5353);
	ip6(F("ipv6 hop-by-hop then udp", DROP), 0, 5353, 5353);
	ip6(F("ipv6 tcp", DROP), 6, 5353, 5353);

	ip4_udp(F("dhcp request 68->67", ACCEPT), 5, 0, 17, 68, 67);
	ip4_udp(F("dhcp reply 67->68", DROP), 5, 0, 17, 67, 68);
	ip4_udp(F("dhcp request with ip options", ACCEPT), 6, 0, 17, 68, 67);
	ip4_udp(F("udp 68->53", DROP), 5, 0, 17, 68, 53);
	ip4_udp(F("mdns response", ACCEPT), 5, 0, 17, 5353, 5353);
	ip4_udp(F("mdns legacy unicast response", ACCEPT), 5, 0, 17, 5353, 40000);
	ip4_udp(F("mdns query from an ephemeral port", DROP), 5, 0, 17, 40000, 5353);
	ip4_udp(F("nbns registration", ACCEPT), 5, 0, 17, 137, 137);
	ip4_udp(F("nbns first fragment (MF)", ACCEPT), 5, 0x2000, 17, 137, 137);
	ip4_udp(F("later fragment that looks like nbns", DROP), 5, 0x0010, 17, 137, 137);
	ip4_udp(F("tcp 137", DROP), 5, 0, 6, 137, 137);
	ip4_udp(F("netbios datagram 138", DROP), 5, 0, 17, 138, 138);
	ip4_udp(F("udp header cut off", DROP), 5, 0, 17, 137, 137);
	f[n - 1].p.n = 14 + 20 + 1;
#undef F
	return n;
}

static u_int run(const struct bpf_insn *prog, const struct pkt *p)
{
	return bpf_filter(prog, p->b, (u_int)p->n, (u_int)p->n);
}

static void test_filter_verdicts(void **state)
{
	(void)state;
	struct sock_fprog fp;
	static struct frame f[64];
	struct bpf_insn prog[64];

	arpd_filter_program(&fp);
	assert_true(fp.len > 0 && fp.len <= 64);
	/* struct sock_filter and struct bpf_insn are the same classic BPF
	 * instruction; copy field by field rather than cast */
	for (unsigned i = 0; i < fp.len; i++) {
		prog[i].code = fp.filter[i].code;
		prog[i].jt = fp.filter[i].jt;
		prog[i].jf = fp.filter[i].jf;
		prog[i].k = fp.filter[i].k;
	}
	assert_int_not_equal(bpf_validate(prog, (int)fp.len), 0);

	size_t n = frames(f);
	for (size_t i = 0; i < n; i++) {
		u_int got = run(prog, &f[i].p);
		if ((got != 0) != (f[i].want == ACCEPT))
			fail_msg("%s: filter returned %u", f[i].what, got);
		if (got != 0 && got != ARPD_FILTER_SNAPLEN)
			fail_msg("%s: accepted with length %u", f[i].what, got);
	}
}

static void test_filter_matches_pcap_expression(void **state)
{
	(void)state;
	struct sock_fprog fp;
	struct bpf_program ref;
	static struct frame f[64];
	struct bpf_insn prog[64];

	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	assert_non_null(dead);
	if (pcap_compile(dead, &ref, ARPD_FILTER_PCAP_EXPR, 1, PCAP_NETMASK_UNKNOWN) != 0)
		fail_msg("pcap_compile: %s", pcap_geterr(dead));
	arpd_filter_program(&fp);
	for (unsigned i = 0; i < fp.len; i++) {
		prog[i].code = fp.filter[i].code;
		prog[i].jt = fp.filter[i].jt;
		prog[i].jf = fp.filter[i].jf;
		prog[i].k = fp.filter[i].k;
	}
	size_t n = frames(f);
	for (size_t i = 0; i < n; i++) {
		if (f[i].tagged)
			continue;
		bool ours = run(prog, &f[i].p) != 0, theirs = run(ref.bf_insns, &f[i].p) != 0;
		if (ours != theirs)
			fail_msg("%s: ours %d, pcap's expression %d", f[i].what, ours, theirs);
	}
	/* the hand-written program is no bigger than libpcap's optimised one */
	assert_true(fp.len <= ref.bf_len + 4);
	pcap_freecode(&ref);
	pcap_close(dead);
}

static void test_kernel_accepts_filter(void **state)
{
	(void)state;
	struct sock_fprog fp;
	arpd_filter_program(&fp);
	/* any socket takes a classic filter; the kernel's checker is the same */
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)), 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_verdicts),
		cmocka_unit_test(test_filter_matches_pcap_expression),
		cmocka_unit_test(test_kernel_accepts_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
