/*
 * common/dnsmsg.c and arpd/mdns.c: the DNS message reader on good messages and
 * on every malformed shape a hostile LAN can send (compression loops,
 * forward and out-of-bounds pointers, overlong labels and names, truncation),
 * and the mDNS names it yields.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "dnsmsg.h"
#include "arpd/mdns.h"
#include "pktbuf.h"

static void hdr(struct pkt *p, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar)
{
	p->n = 0;
	pk_be16(p, 0);
	pk_be16(p, flags);
	pk_be16(p, qd);
	pk_be16(p, an);
	pk_be16(p, ns);
	pk_be16(p, ar);
}

static void rr_head(struct pkt *p, uint16_t type, uint16_t cls, uint16_t rdlen)
{
	pk_be16(p, type);
	pk_be16(p, cls);
	pk_be32(p, 120);
	pk_be16(p, rdlen);
}

static int name_at(const struct pkt *p, size_t off, char *text, size_t n)
{
	struct dns_name nm;
	size_t end;
	int e = dns_read_name(p->b, p->n, off, true, &nm, &end);
	if (e == DNS_OK && !dns_name_text(&nm, text, n))
		return 99;
	return e;
}

static void test_name_plain_and_compressed(void **state)
{
	(void)state;
	struct pkt p;
	char t[256];
	struct dns_name nm;
	size_t end;

	hdr(&p, 0, 0, 0, 0, 0);
	pk_name(&p, "myhost.local");            /* at 12 */
	size_t second = p.n;
	pk_u8(&p, 3);
	pk_bytes(&p, "www", 3);
	pk_ptr(&p, 12 + 7);                     /* -> "local" */
	assert_int_equal(name_at(&p, 12, t, sizeof(t)), DNS_OK);
	assert_string_equal(t, "myhost.local");
	assert_int_equal(dns_read_name(p.b, p.n, second, true, &nm, &end), DNS_OK);
	assert_int_equal(end, p.n);             /* just past the pointer */
	assert_int_equal(nm.nlabels, 2);
	assert_true(dns_name_text(&nm, t, sizeof(t)));
	assert_string_equal(t, "www.local");
	assert_true(dns_name_ends_with(&nm, "LOCAL"));
	assert_false(dns_name_ends_with(&nm, "xwww.local"));
	assert_true(dns_name_ends_with(&nm, "www.local"));
	/* the same name without compression allowed */
	assert_int_equal(dns_read_name(p.b, p.n, second, false, &nm, &end), DNS_ECOMPRESS);
}

static void test_name_pointer_loops(void **state)
{
	(void)state;
	struct pkt p;
	char t[256];

	/* a pointer to itself */
	hdr(&p, 0, 0, 0, 0, 0);
	pk_ptr(&p, 12);
	assert_int_equal(name_at(&p, 12, t, sizeof(t)), DNS_EPOINTER);

	/* a forward pointer */
	hdr(&p, 0, 0, 0, 0, 0);
	pk_ptr(&p, 14);
	pk_name(&p, "a");
	assert_int_equal(name_at(&p, 12, t, sizeof(t)), DNS_EPOINTER);

	/* two pointers that point at each other */
	hdr(&p, 0, 0, 0, 0, 0);
	pk_ptr(&p, 14);                         /* 12 -> 14 */
	pk_ptr(&p, 12);                         /* 14 -> 12 */
	assert_int_equal(name_at(&p, 14, t, sizeof(t)), DNS_EPOINTER);

	/* backwards from the pointer but not from the run's start: a label
	 * at 12, then a pointer at 14 back to 12 reads "x" forever */
	hdr(&p, 0, 0, 0, 0, 0);
	pk_u8(&p, 1);
	pk_u8(&p, 'x');
	pk_ptr(&p, 12);
	assert_int_equal(name_at(&p, 12, t, sizeof(t)), DNS_EPOINTER);

	/* the same loop entered from a later name: 20 -> 12, then 14 -> 12 */
	pk_ptr(&p, 12);
	assert_int_equal(name_at(&p, 16, t, sizeof(t)), DNS_EPOINTER);
}

static void test_name_pointer_out_of_bounds(void **state)
{
	(void)state;
	struct pkt p;
	char t[256];

	hdr(&p, 0, 0, 0, 0, 0);
	pk_name(&p, "a");
	pk_ptr(&p, 0x3fff);                     /* far past the end, and forward */
	assert_int_equal(name_at(&p, 15, t, sizeof(t)), DNS_EPOINTER);
	/* a pointer cut in half by the end of the message */
	hdr(&p, 0, 0, 0, 0, 0);
	pk_u8(&p, 0xc0);
	assert_int_equal(name_at(&p, 12, t, sizeof(t)), DNS_ESHORT);
	/* a start offset past the end */
	assert_int_equal(name_at(&p, 500, t, sizeof(t)), DNS_ESHORT);
	/* a pointer into the header is allowed but reads bytes there: the
	 * header 00 00 ... is the root name */
	hdr(&p, 0, 0, 0, 0, 0);
	pk_ptr(&p, 0);
	assert_int_equal(name_at(&p, 12, t, sizeof(t)), DNS_OK);
	assert_string_equal(t, "");
}

static void test_name_bounds(void **state)
{
	(void)state;
	struct pkt p;
	char t[300];
	uint8_t label[64];
	memset(label, 'a', sizeof(label));

	/* a 63-byte label is fine, 64 is the reserved 0x40 type */
	hdr(&p, 0, 0, 0, 0, 0);
	pk_u8(&p, 63);
	pk_bytes(&p, label, 63);
	pk_u8(&p, 0);
	assert_int_equal(name_at(&p, 12, t, sizeof(t)), DNS_OK);
	assert_int_equal(strlen(t), 63);
	hdr(&p, 0, 0, 0, 0, 0);
	pk_u8(&p, 64);
	pk_bytes(&p, label, 64);
	pk_u8(&p, 0);
	assert_int_equal(name_at(&p, 12, t, sizeof(t)), DNS_ELABEL);
	hdr(&p, 0, 0, 0, 0, 0);
	pk_u8(&p, 0x80);
	assert_int_equal(name_at(&p, 12, t, sizeof(t)), DNS_ELABEL);

	/* 255 bytes in wire form is the limit: 3 x 63-byte labels (192) + one
	 * of 61 (62) + root (1) = 255 */
	hdr(&p, 0, 0, 0, 0, 0);
	for (int i = 0; i < 3; i++) {
		pk_u8(&p, 63);
		pk_bytes(&p, label, 63);
	}
	pk_u8(&p, 61);
	pk_bytes(&p, label, 61);
	pk_u8(&p, 0);
	assert_int_equal(name_at(&p, 12, t, sizeof(t)), DNS_OK);
	/* one byte more is refused */
	hdr(&p, 0, 0, 0, 0, 0);
	for (int i = 0; i < 3; i++) {
		pk_u8(&p, 63);
		pk_bytes(&p, label, 63);
	}
	pk_u8(&p, 62);
	pk_bytes(&p, label, 62);
	pk_u8(&p, 0);
	assert_int_equal(name_at(&p, 12, t, sizeof(t)), DNS_ELONG);

	/* a name made long by chaining pointers backwards: each 1-byte label
	 * points at the one before; 200 of them exceed 255 bytes and the jump
	 * bound, whichever comes first */
	hdr(&p, 0, 0, 0, 0, 0);
	pk_name(&p, "z");
	size_t prev = 12, last = 12;
	for (int i = 0; i < 200; i++) {
		last = p.n;
		pk_u8(&p, 1);
		pk_u8(&p, 'a');
		pk_ptr(&p, (uint16_t)prev);
		prev = last;
	}
	int e = name_at(&p, last, t, sizeof(t));
	assert_true(e == DNS_EPOINTER || e == DNS_ELONG);

	/* a label cut by the end of the message */
	hdr(&p, 0, 0, 0, 0, 0);
	pk_u8(&p, 10);
	pk_bytes(&p, "abc", 3);
	assert_int_equal(name_at(&p, 12, t, sizeof(t)), DNS_ESHORT);
	/* a name without its root label */
	hdr(&p, 0, 0, 0, 0, 0);
	pk_u8(&p, 3);
	pk_bytes(&p, "abc", 3);
	assert_int_equal(name_at(&p, 12, t, sizeof(t)), DNS_ESHORT);
}

static void test_name_text_refuses_dots_and_nul(void **state)
{
	(void)state;
	struct pkt p;
	char t[64];
	hdr(&p, 0, 0, 0, 0, 0);
	pk_u8(&p, 5);
	pk_bytes(&p, "a.b.c", 5);               /* one label that looks like three */
	pk_u8(&p, 0);
	assert_int_equal(name_at(&p, 12, t, sizeof(t)), 99);
	hdr(&p, 0, 0, 0, 0, 0);
	pk_u8(&p, 3);
	pk_bytes(&p, "a\0b", 3);
	pk_u8(&p, 0);
	assert_int_equal(name_at(&p, 12, t, sizeof(t)), 99);
	/* too small a buffer: refused, not cut */
	hdr(&p, 0, 0, 0, 0, 0);
	pk_name(&p, "abcdef.local");
	assert_int_equal(name_at(&p, 12, t, 8), 99);
}

static void test_reader_sections_and_truncation(void **state)
{
	(void)state;
	struct pkt p;
	struct dns_reader r;
	struct dns_rr rr;
	struct dns_question q;

	memset(&p, 0, sizeof(p));
	assert_int_equal(dns_reader_init(&r, p.b, 11), DNS_ESHORT);

	hdr(&p, 0x8400, 1, 1, 0, 1);
	pk_name(&p, "q.local");
	pk_be16(&p, 1);
	pk_be16(&p, 1);
	pk_ptr(&p, 12);
	rr_head(&p, DNS_T_A, 0x8001, 4);
	pk_bytes(&p, "\xc6\x12\x00\x17", 4);
	pk_ptr(&p, 12);
	rr_head(&p, DNS_T_TXT, 1, 3);
	pk_bytes(&p, "\x02hi", 3);
	assert_int_equal(dns_reader_init(&r, p.b, p.n), DNS_OK);
	assert_int_equal(dns_next_question(&r, &q), DNS_OK);
	assert_int_equal(q.type, 1);
	assert_int_equal(dns_next_question(&r, &q), DNS_END);
	assert_int_equal(dns_next_rr(&r, &rr), DNS_OK);
	assert_int_equal(rr.section, DNS_SEC_ANSWER);
	assert_int_equal(rr.type, DNS_T_A);
	assert_int_equal(rr.rclass, 0x8001);
	assert_int_equal(rr.rdlen, 4);
	assert_int_equal(dns_next_rr(&r, &rr), DNS_OK);
	assert_int_equal(rr.section, DNS_SEC_ADDITIONAL);
	assert_int_equal(rr.type, DNS_T_TXT);
	assert_int_equal(dns_next_rr(&r, &rr), DNS_END);

	/* every truncation of that message fails cleanly, never reads past */
	size_t full = p.n;
	for (size_t cut = 12; cut < full; cut++) {
		assert_int_equal(dns_reader_init(&r, p.b, cut), DNS_OK);
		int e;
		unsigned n = 0;
		while ((e = dns_next_rr(&r, &rr)) == DNS_OK)
			n++;
		assert_int_equal(e, DNS_ESHORT);
		assert_true(n < 2);
		/* a failed reader stays failed */
		assert_int_equal(dns_next_rr(&r, &rr), DNS_ESHORT);
	}

	/* rdlength past the end */
	hdr(&p, 0x8400, 0, 1, 0, 0);
	pk_name(&p, "a.local");
	rr_head(&p, DNS_T_A, 1, 40);
	pk_bytes(&p, "\xc6\x12\x00\x17", 4);
	assert_int_equal(dns_reader_init(&r, p.b, p.n), DNS_OK);
	assert_int_equal(dns_next_rr(&r, &rr), DNS_ESHORT);

	/* huge counts with nothing behind them end, they do not spin */
	hdr(&p, 0x8400, 0xffff, 0xffff, 0xffff, 0xffff);
	assert_int_equal(dns_reader_init(&r, p.b, p.n), DNS_OK);
	assert_int_equal(dns_next_rr(&r, &rr), DNS_ESHORT);
}

/* An avahi-style announcement: A, AAAA and HINFO for myhost.local, the
 * later owners compressed to the first. */
static void avahi(struct pkt *p)
{
	hdr(p, 0x8400, 0, 3, 0, 0);
	pk_name(p, "myhost.local");
	rr_head(p, DNS_T_A, 0x8001, 4);
	pk_bytes(p, "\xc6\x12\x00\x17", 4);
	pk_ptr(p, 12);
	rr_head(p, DNS_T_AAAA, 0x8001, 16);
	pk_bytes(p, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\x17", 16);
	pk_ptr(p, 12);
	rr_head(p, DNS_T_HINFO, 0x8001, 13);
	pk_bytes(p, "\x06X86_64\x05LINUX", 13);
}

static void test_mdns_avahi(void **state)
{
	(void)state;
	struct pkt p;
	struct mdns_info m;
	struct mdns_addr src = { .family = 4, .a = { 198, 18, 0, 23 } };

	avahi(&p);
	assert_int_equal(mdns_parse(p.b, p.n, &src, &m), DNS_OK);
	assert_int_equal(m.nhosts, 2);
	assert_string_equal(m.hosts[0].name, "myhost");
	assert_int_equal(m.hosts[0].addr.family, 4);
	assert_true(m.hosts[0].is_source);
	assert_string_equal(m.hosts[1].name, "myhost");
	assert_int_equal(m.hosts[1].addr.family, 6);
	assert_false(m.hosts[1].is_source);
	assert_string_equal(m.hinfo_cpu, "X86_64");
	assert_string_equal(m.hinfo_os, "LINUX");

	/* cut inside the HINFO record: the names before it are kept */
	assert_int_equal(mdns_parse(p.b, p.n - 3, &src, &m), DNS_ESHORT);
	assert_int_equal(m.nhosts, 2);
	assert_string_equal(m.hinfo_cpu, "");

	/* the same message as a query is not a source of names */
	p.b[2] = 0;
	assert_int_equal(mdns_parse(p.b, p.n, &src, &m), MDNS_ENOTRESPONSE);
	assert_int_equal(m.nhosts, 0);
}

static void test_mdns_device_info_and_filters(void **state)
{
	(void)state;
	struct pkt p;
	struct mdns_info m;

	hdr(&p, 0x8400, 0, 4, 0, 0);
	pk_name(&p, "Living Room._device-info._tcp.local");
	rr_head(&p, DNS_T_TXT, 1, 29);
	pk_bytes(&p, "\x0aosxvers=21\x11MODEL=AppleTV11,1", 29);
	/* not under .local: not a host name */
	pk_name(&p, "host.example.com");
	rr_head(&p, DNS_T_A, 1, 4);
	pk_bytes(&p, "\xc6\x12\x00\x28", 4);
	/* a control character in the label: refused */
	pk_name(&p, "bad\x1bname.local");
	rr_head(&p, DNS_T_A, 1, 4);
	pk_bytes(&p, "\xc6\x12\x00\x29", 4);
	/* an A record with a wrong rdlength: ignored */
	pk_name(&p, "odd.local");
	rr_head(&p, DNS_T_A, 1, 3);
	pk_bytes(&p, "\xc6\x12\x00", 3);
	assert_int_equal(mdns_parse(p.b, p.n, NULL, &m), DNS_OK);
	assert_string_equal(m.model, "AppleTV11,1");
	assert_int_equal(m.nhosts, 0);
	assert_int_equal(m.refused, 1);
}

static void test_mdns_host_limits(void **state)
{
	(void)state;
	struct pkt p;
	struct mdns_info m;
	char name[32];

	hdr(&p, 0x8400, 0, MDNS_HOSTS_MAX + 3, 0, 0);
	for (int i = 0; i < MDNS_HOSTS_MAX + 2; i++) {
		snprintf(name, sizeof(name), "h%d.local", i);
		pk_name(&p, name);
		rr_head(&p, DNS_T_A, 1, 4);
		pk_bytes(&p, "\xc6\x12\x00\x01", 4);
	}
	/* a repeat of h0 with the same address is not a second host */
	pk_name(&p, "h0.local");
	rr_head(&p, DNS_T_A, 1, 4);
	pk_bytes(&p, "\xc6\x12\x00\x01", 4);
	assert_int_equal(mdns_parse(p.b, p.n, NULL, &m), DNS_OK);
	assert_int_equal(m.nhosts, MDNS_HOSTS_MAX);
	assert_int_equal(m.dropped, 2);

	/* a two-label host under .local keeps its dots; a 64-byte one is refused */
	hdr(&p, 0x8400, 0, 2, 0, 0);
	pk_name(&p, "printer.office.local");
	rr_head(&p, DNS_T_A, 1, 4);
	pk_bytes(&p, "\xc6\x12\x00\x02", 4);
	pk_name(&p, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.local");   /* 64 bytes before .local */
	rr_head(&p, DNS_T_A, 1, 4);
	pk_bytes(&p, "\xc6\x12\x00\x03", 4);
	assert_int_equal(mdns_parse(p.b, p.n, NULL, &m), DNS_OK);
	assert_int_equal(m.nhosts, 1);
	assert_string_equal(m.hosts[0].name, "printer.office");
	assert_int_equal(m.refused, 1);
}

/* One `_device-info` TXT record with the given rdata. */
static void txt_rr(struct pkt *p, const char *owner, const void *rdata, size_t n)
{
	pk_name(p, owner);
	rr_head(p, DNS_T_TXT, 0x8001, (uint16_t)n);
	pk_bytes(p, rdata, n);
}

/* Hostile `_device-info` TXT and HINFO records: refused whole and counted,
 * never cut, never able to wipe a clean value that came before them. */
static void test_mdns_hostile_txt_and_hinfo(void **state)
{
	(void)state;
	struct pkt p;
	struct mdns_info m;
	const char *di = "x._device-info._tcp.local";
	static const struct { const char *rdata; size_t n; } bad[] = {
		{ "\x0emodel=Mac\x1bmini", 15 },     /* ESC */
		{ "\x0dmodel=Mac\xc3min", 14 },     /* broken UTF-8 */
		{ "\x06model=", 7 },                  /* empty value */
		{ "\x09model=   ", 10 },              /* only spaces */
		{ "\x0dmodel=Mac\x7fmin", 14 },      /* DEL */
		{ "\x0dmodel=\xed\xa0\x80" "abcd", 14 },  /* a surrogate */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hdr(&p, 0x8400, 0, 1, 0, 0);
		txt_rr(&p, di, bad[i].rdata, bad[i].n);
		assert_int_equal(mdns_parse(p.b, p.n, NULL, &m), DNS_OK);
		assert_string_equal(m.model, "");
		assert_int_equal(m.refused, 1);
	}
	/* 63 bytes is a model, 64 is not (refused, not cut) */
	uint8_t txt[1 + 6 + 64];
	txt[0] = 6 + 63;
	memcpy(txt + 1, "model=", 6);
	memset(txt + 7, 'm', 64);
	hdr(&p, 0x8400, 0, 1, 0, 0);
	txt_rr(&p, di, txt, 1 + 6 + 63);
	assert_int_equal(mdns_parse(p.b, p.n, NULL, &m), DNS_OK);
	assert_int_equal(strlen(m.model), NAME_MODEL_MAX);
	txt[0] = 6 + 64;
	hdr(&p, 0x8400, 0, 1, 0, 0);
	txt_rr(&p, di, txt, sizeof(txt));
	assert_int_equal(mdns_parse(p.b, p.n, NULL, &m), DNS_OK);
	assert_string_equal(m.model, "");
	assert_int_equal(m.refused, 1);
	/* a string that claims more than the rdata: nothing is read past it */
	hdr(&p, 0x8400, 0, 1, 0, 0);
	txt_rr(&p, di, "\x20model=J305AP", 13);
	assert_int_equal(mdns_parse(p.b, p.n, NULL, &m), DNS_OK);
	assert_string_equal(m.model, "");
	/* a clean model, then a hostile one: the clean one stays */
	hdr(&p, 0x8400, 0, 2, 0, 0);
	txt_rr(&p, di, "\x0cmodel=J305AP", 13);
	txt_rr(&p, di, "\x0emodel=Mac\x1bmini", 15);
	assert_int_equal(mdns_parse(p.b, p.n, NULL, &m), DNS_OK);
	assert_string_equal(m.model, "J305AP");
	assert_int_equal(m.refused, 1);
	/* model= under another service, or a TXT not under .local: ignored */
	hdr(&p, 0x8400, 0, 2, 0, 0);
	txt_rr(&p, "x._airplay._tcp.local", "\x0cmodel=J305AP", 13);
	txt_rr(&p, "x._device-info._tcp.example", "\x0cmodel=J305AP", 13);
	assert_int_equal(mdns_parse(p.b, p.n, NULL, &m), DNS_OK);
	assert_string_equal(m.model, "");
	assert_int_equal(m.refused, 0);
	/* HINFO: a hostile CPU is refused, the clean OS beside it kept; a
	 * second HINFO does not replace what the first gave */
	hdr(&p, 0x8400, 0, 3, 0, 0);
	pk_name(&p, "myhost.local");
	rr_head(&p, DNS_T_HINFO, 0x8001, 13);
	pk_bytes(&p, "\x06X86\n64\x05LINUX", 13);
	pk_ptr(&p, 12);
	rr_head(&p, DNS_T_HINFO, 0x8001, 12);
	pk_bytes(&p, "\x05" "ARM64\x05HAIKU", 12);
	pk_ptr(&p, 12);                  /* one string only: ignored */
	rr_head(&p, DNS_T_HINFO, 0x8001, 4);
	pk_bytes(&p, "\x03MIPS", 4);
	assert_int_equal(mdns_parse(p.b, p.n, NULL, &m), DNS_OK);
	assert_string_equal(m.hinfo_cpu, "ARM64");
	assert_string_equal(m.hinfo_os, "LINUX");
	assert_int_equal(m.refused, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_plain_and_compressed),
		cmocka_unit_test(test_name_pointer_loops),
		cmocka_unit_test(test_name_pointer_out_of_bounds),
		cmocka_unit_test(test_name_bounds),
		cmocka_unit_test(test_name_text_refuses_dots_and_nul),
		cmocka_unit_test(test_reader_sections_and_truncation),
		cmocka_unit_test(test_mdns_avahi),
		cmocka_unit_test(test_mdns_device_info_and_filters),
		cmocka_unit_test(test_mdns_host_limits),
		cmocka_unit_test(test_mdns_hostile_txt_and_hinfo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
