/*
 * arpd/nbns.c: NetBIOS names from registrations, refreshes and positive
 * answers; bad first-level encodings, group names, hostile bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "arpd/nbns.h"
#include "pktbuf.h"

/* 16 raw bytes (15 of name padded with spaces, then the suffix), encoded */
static void nb_name(struct pkt *p, const char *name, uint8_t suffix)
{
	uint8_t raw[16];
	memset(raw, ' ', 15);
	memcpy(raw, name, strlen(name) < 15 ? strlen(name) : 15);
	raw[15] = suffix;
	pk_u8(p, 32);
	for (int i = 0; i < 16; i++) {
		pk_u8(p, (uint8_t)('A' + (raw[i] >> 4)));
		pk_u8(p, (uint8_t)('A' + (raw[i] & 15)));
	}
	pk_u8(p, 0);
}

/* A registration request: question + additional NB record pointing at it. */
static void registration(struct pkt *p, uint16_t flags, const char *name, uint8_t suffix,
			 uint16_t nbflags)
{
	p->n = 0;
	pk_be16(p, 0x8001);
	pk_be16(p, flags);
	pk_be16(p, 1);
	pk_be16(p, 0);
	pk_be16(p, 0);
	pk_be16(p, 1);
	nb_name(p, name, suffix);
	pk_be16(p, 0x20);
	pk_be16(p, 1);
	pk_ptr(p, 12);
	pk_be16(p, 0x20);
	pk_be16(p, 1);
	pk_be32(p, 300000);
	pk_be16(p, 6);
	pk_be16(p, nbflags);
	pk_bytes(p, "\xc6\x12\x00\x18", 4);
}

static void test_registration_and_refresh(void **state)
{
	(void)state;
	struct pkt p;
	struct nbns_info nb;

	registration(&p, 0x2910, "DESKTOP-4F2K9QX", 0x00, 0);
	assert_int_equal(nbns_parse(p.b, p.n, &nb), DNS_OK);
	assert_int_equal(nb.opcode, NBNS_OP_REGISTRATION);
	assert_false(nb.response);
	assert_int_equal(nb.n, 1);
	assert_string_equal(nb.names[0].name, "DESKTOP-4F2K9QX");
	assert_int_equal(nb.names[0].suffix, 0x00);
	assert_false(nb.names[0].group);
	assert_int_equal(nb.names[0].addr, 0xc6120018);
	assert_true(nbns_is_host_name(&nb.names[0]));

	registration(&p, 0x4010, "NAS1", 0x20, 0);           /* refresh, server name */
	assert_int_equal(nbns_parse(p.b, p.n, &nb), DNS_OK);
	assert_int_equal(nb.n, 1);
	assert_string_equal(nb.names[0].name, "NAS1");        /* padding stripped */
	assert_true(nbns_is_host_name(&nb.names[0]));
	registration(&p, 0x4810, "NAS1", 0x20, 0);           /* refresh, opcode 9 */
	assert_int_equal(nbns_parse(p.b, p.n, &nb), DNS_OK);
	assert_int_equal(nb.n, 1);

	registration(&p, 0x2910, "WORKGROUP", 0x1e, 0x8000); /* a group name */
	assert_int_equal(nbns_parse(p.b, p.n, &nb), DNS_OK);
	assert_int_equal(nb.n, 1);
	assert_true(nb.names[0].group);
	assert_false(nbns_is_host_name(&nb.names[0]));
	registration(&p, 0x2910, "PRINTER", 0x03, 0);        /* messenger service */
	assert_int_equal(nbns_parse(p.b, p.n, &nb), DNS_OK);
	assert_false(nbns_is_host_name(&nb.names[0]));
}

static void test_other_opcodes_ignored(void **state)
{
	(void)state;
	struct pkt p;
	struct nbns_info nb;

	registration(&p, 0x0110, "ASKER", 0x00, 0);          /* a query (opcode 0, request) */
	assert_int_equal(nbns_parse(p.b, p.n, &nb), NBNS_EKIND);
	assert_int_equal(nb.n, 0);
	registration(&p, 0x3010, "LEAVING", 0x00, 0);        /* release (opcode 6) */
	assert_int_equal(nbns_parse(p.b, p.n, &nb), NBNS_EKIND);
	registration(&p, 0xa805, "CONFLICT", 0x00, 0);       /* negative registration response */
	assert_int_equal(nbns_parse(p.b, p.n, &nb), NBNS_EKIND);
	/* a positive query response names the host */
	registration(&p, 0x8500, "FILESRV", 0x20, 0);
	assert_int_equal(nbns_parse(p.b, p.n, &nb), DNS_OK);
	assert_int_equal(nb.n, 1);
	registration(&p, 0x8503, "FILESRV", 0x20, 0);        /* rcode 3: no such name */
	assert_int_equal(nbns_parse(p.b, p.n, &nb), NBNS_EKIND);
}

static void test_bad_encodings(void **state)
{
	(void)state;
	struct pkt p;
	struct nbns_info nb;
	uint8_t raw[16];
	struct dns_name n;
	size_t end;

	/* a half-byte outside 'A'..'P' */
	registration(&p, 0x2910, "HOST", 0x00, 0);
	p.b[13] = 'Q';
	assert_int_equal(nbns_parse(p.b, p.n, &nb), DNS_OK);
	assert_int_equal(nb.n, 0);
	assert_int_equal(nb.bad_encoding, 1);
	registration(&p, 0x2910, "HOST", 0x00, 0);
	p.b[20] = 'a';                                       /* lower case is not the encoding */
	assert_int_equal(nbns_parse(p.b, p.n, &nb), DNS_OK);
	assert_int_equal(nb.bad_encoding, 1);

	/* a first label that is not 32 bytes */
	p.n = 0;
	pk_zero(&p, 12);
	pk_u8(&p, 30);
	for (int i = 0; i < 30; i++)
		pk_u8(&p, 'A');
	pk_u8(&p, 0);
	assert_int_equal(dns_read_name(p.b, p.n, 12, true, &n, &end), DNS_OK);
	assert_false(nbns_decode_name(&n, raw));

	/* the raw name holds a control character: refused, counted */
	registration(&p, 0x2910, "BAD\x07NAME", 0x00, 0);
	assert_int_equal(nbns_parse(p.b, p.n, &nb), DNS_OK);
	assert_int_equal(nb.n, 0);
	assert_int_equal(nb.refused, 1);
	/* OEM code page bytes that are not UTF-8 (CP850 'ü' = 0x81): refused */
	registration(&p, 0x2910, "K\x81" "CHE", 0x00, 0);
	assert_int_equal(nbns_parse(p.b, p.n, &nb), DNS_OK);
	assert_int_equal(nb.refused, 1);
	/* all spaces: no name */
	registration(&p, 0x2910, "", 0x00, 0);
	assert_int_equal(nbns_parse(p.b, p.n, &nb), DNS_OK);
	assert_int_equal(nb.n, 0);

	/* rdata too short for flags + address: skipped */
	registration(&p, 0x2910, "SHORT", 0x00, 0);
	p.b[p.n - 7] = 4;                                    /* rdlength 6 -> 4 */
	p.n -= 2;
	assert_int_equal(nbns_parse(p.b, p.n, &nb), DNS_OK);
	assert_int_equal(nb.n, 0);

	/* cut anywhere: never a name from a half record */
	registration(&p, 0x2910, "WHOLE", 0x00, 0);
	size_t full = p.n;
	for (size_t cut = 0; cut < full; cut++) {
		int e = nbns_parse(p.b, cut, &nb);
		assert_int_not_equal(e, DNS_OK);
		assert_int_equal(nb.n, 0);
	}
}

static void test_name_limits(void **state)
{
	(void)state;
	struct pkt p;
	struct nbns_info nb;

	/* many NB records in one answer: at most NBNS_NAMES_MAX kept */
	p.n = 0;
	pk_be16(&p, 1);
	pk_be16(&p, 0x8500);
	pk_be16(&p, 0);
	pk_be16(&p, NBNS_NAMES_MAX + 2);
	pk_be16(&p, 0);
	pk_be16(&p, 0);
	for (int i = 0; i < NBNS_NAMES_MAX + 2; i++) {
		char name[8] = "HOSTA";
		name[4] = (char)('A' + i);
		nb_name(&p, name, 0);
		pk_be16(&p, 0x20);
		pk_be16(&p, 1);
		pk_be32(&p, 60);
		pk_be16(&p, 6);
		pk_be16(&p, 0);
		pk_bytes(&p, "\xc6\x12\x00\x19", 4);
	}
	assert_int_equal(nbns_parse(p.b, p.n, &nb), DNS_OK);
	assert_int_equal(nb.n, NBNS_NAMES_MAX);
	assert_int_equal(nb.dropped, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registration_and_refresh),
		cmocka_unit_test(test_other_opcodes_ignored),
		cmocka_unit_test(test_bad_encodings),
		cmocka_unit_test(test_name_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
