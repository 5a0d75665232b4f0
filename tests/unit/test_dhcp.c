/*
 * arpd/dhcp.c: what a DHCP client says about itself, and every malformed
 * shape refused: truncated and overlong options, zero-length options, bad
 * overload, non-Ethernet hardware, missing cookie, hostile names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "arpd/dhcp.h"
#include "pktbuf.h"

static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 };

/* BOOTREQUEST header and cookie; sname/file from the arguments (may be NULL). */
static void bootp(struct pkt *p, const void *sname, size_t sn, const void *file, size_t fn)
{
	p->n = 0;
	pk_u8(p, 1);
	pk_u8(p, 1);
	pk_u8(p, 6);
	pk_u8(p, 0);
	pk_be32(p, 0x3903f326);
	pk_zero(p, 4);
	pk_bytes(p, "\xc6\x12\x00\x17", 4);     /* ciaddr 198.18.0.23 */
	pk_zero(p, 12);
	pk_bytes(p, mac, 6);
	pk_zero(p, 10);
	pk_bytes(p, sname, sn);
	pk_zero(p, 64 - sn);
	pk_bytes(p, file, fn);
	pk_zero(p, 128 - fn);
	pk_bytes(p, "\x63\x82\x53\x63", 4);
}

static void opt(struct pkt *p, uint8_t code, const void *v, size_t n)
{
	pk_u8(p, code);
	pk_u8(p, (uint8_t)n);
	pk_bytes(p, v, n);
}

static void test_dhclient_request(void **state)
{
	(void)state;
	struct pkt p;
	struct dhcp_info d;
	static const uint8_t prl[] = { 1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42 };

	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 53, "\x03", 1);
	opt(&p, 50, "\xc6\x12\x00\x18", 4);
	opt(&p, 12, "laptop-01", 9);
	opt(&p, 55, prl, sizeof(prl));
	opt(&p, 60, "MSFT 5.0", 8);
	pk_u8(&p, 255);
	pk_zero(&p, 20);                        /* padding after End is ignored */
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_int_equal(d.msg_type, 3);
	assert_memory_equal(d.chaddr, mac, 6);
	assert_int_equal(d.xid, 0x3903f326);
	assert_int_equal(d.ciaddr, 0xc6120017);
	assert_int_equal(d.requested_ip, 0xc6120018);
	assert_string_equal(d.hostname, "laptop-01");
	assert_string_equal(d.vendor_class, "MSFT 5.0");
	assert_string_equal(d.params, "1,28,2,3,15,6,119,12,44,47,26,121,42");
	assert_string_equal(d.fqdn, "");
	assert_int_equal(d.refused, 0);

	/* no End option: the area's end ends the options */
	p.n -= 21;
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.hostname, "laptop-01");
}

static void test_header_refusals(void **state)
{
	(void)state;
	struct pkt p;
	struct dhcp_info d;

	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 12, "x", 1);
	assert_int_equal(dhcp_parse(p.b, DHCP_MIN_LEN - 1, &d), DHCP_ESHORT);
	assert_int_equal(dhcp_parse(NULL, 0, &d), DHCP_ESHORT);
	assert_int_equal(dhcp_parse(p.b, DHCP_MIN_LEN, &d), DHCP_OK);  /* no options at all */
	p.b[0] = 2;                              /* a server's BOOTREPLY */
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_ENOTREQUEST);
	p.b[0] = 1;
	p.b[2] = 16;                             /* hlen 16 (InfiniBand-style) */
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_EHWTYPE);
	p.b[2] = 6;
	p.b[1] = 6;                              /* IEEE 802 htype */
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_EHWTYPE);
	p.b[1] = 1;
	p.b[DHCP_FIXED_LEN + 3] = 0;             /* plain BOOTP, no cookie */
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_ECOOKIE);
	assert_string_equal(d.hostname, "");
}

static void test_truncated_options(void **state)
{
	(void)state;
	struct pkt p;
	struct dhcp_info d;

	/* a host name whose length runs past the packet: the whole message is
	 * refused, nothing in it is used */
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 53, "\x03", 1);
	pk_u8(&p, 12);
	pk_u8(&p, 20);
	pk_bytes(&p, "short", 5);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_EOPTION);
	assert_int_equal(d.msg_type, 0);
	/* a code with no length byte */
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 12, "ok", 2);
	pk_u8(&p, 60);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_EOPTION);
	assert_string_equal(d.hostname, "");
	/* every cut of a good message either parses or is refused cleanly */
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 53, "\x03", 1);
	opt(&p, 12, "laptop-01", 9);
	opt(&p, 55, "\x01\x03\x06", 3);
	for (size_t cut = 0; cut < p.n; cut++) {
		int e = dhcp_parse(p.b, cut, &d);
		assert_true(e == DHCP_OK || e == DHCP_EOPTION || e == DHCP_ESHORT);
		if (e == DHCP_OK && d.hostname[0])
			assert_string_equal(d.hostname, "laptop-01");
	}
}

static void test_zero_length_and_bad_values(void **state)
{
	(void)state;
	struct pkt p;
	struct dhcp_info d;

	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 12, "", 0);                      /* zero-length host name */
	opt(&p, 55, "", 0);                      /* empty parameter list */
	opt(&p, 53, "", 0);                      /* type without a value */
	opt(&p, 50, "\xc6\x12", 2);              /* address of the wrong size */
	opt(&p, 60, "vendor\x01", 7);            /* control character */
	opt(&p, 81, "\x00", 1);                  /* FQDN without rcodes */
	pk_u8(&p, 255);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.hostname, "");
	assert_string_equal(d.params, "");
	assert_string_equal(d.vendor_class, "");
	assert_string_equal(d.fqdn, "");
	assert_int_equal(d.msg_type, 0);
	assert_int_equal(d.requested_ip, 0);
	assert_int_equal(d.refused, 4);

	/* hostile host names: invalid UTF-8, 64 bytes, spaces only */
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 12, "\xc0\xaf" "etc", 5);
	pk_u8(&p, 255);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.hostname, "");
	assert_int_equal(d.refused, 1);
	char long_name[64];
	memset(long_name, 'h', sizeof(long_name));
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 12, long_name, 64);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.hostname, "");
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 12, long_name, 63);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_int_equal(strlen(d.hostname), 63);
	/* a C string sent with its NUL, and UTF-8 that is fine */
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 12, "cam-garage\0", 11);
	opt(&p, 60, "K\xc3\xbc" "che", 6);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.hostname, "cam-garage");
	assert_string_equal(d.vendor_class, "K\xc3\xbc" "che");
}

static void test_overload(void **state)
{
	(void)state;
	struct pkt p;
	struct dhcp_info d;
	static const uint8_t file_opts[] = { 12, 10, 'p', 'r', 'i', 'n', 't', 'e', 'r', '-', '3', 'f', 255 };
	static const uint8_t sname_opts[] = { 60, 4, 'H', 'P', 'L', 'J', 255 };

	/* both fields carry options: file first, then sname */
	bootp(&p, sname_opts, sizeof(sname_opts), file_opts, sizeof(file_opts));
	opt(&p, 53, "\x03", 1);
	opt(&p, 52, "\x03", 1);
	pk_u8(&p, 255);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_int_equal(d.overload, 3);
	assert_string_equal(d.hostname, "printer-3f");
	assert_string_equal(d.vendor_class, "HPLJ");

	/* without option 52 the same fields are a server and file name */
	bootp(&p, sname_opts, sizeof(sname_opts), file_opts, sizeof(file_opts));
	pk_u8(&p, 255);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.hostname, "");

	/* file only */
	bootp(&p, sname_opts, sizeof(sname_opts), file_opts, sizeof(file_opts));
	opt(&p, 52, "\x01", 1);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.hostname, "printer-3f");
	assert_string_equal(d.vendor_class, "");

	/* bad values, a repeat, a wrong length, and 52 inside the file field */
	static const char *const bad[] = { "\x00", "\x04", "\xff" };
	for (size_t i = 0; i < 3; i++) {
		bootp(&p, NULL, 0, NULL, 0);
		opt(&p, 52, bad[i], 1);
		assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_EOVERLOAD);
	}
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 52, "\x01", 1);
	opt(&p, 52, "\x01", 1);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_EOVERLOAD);
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 52, "\x01\x02", 2);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_EOVERLOAD);
	static const uint8_t nested[] = { 52, 1, 2, 255 };
	bootp(&p, NULL, 0, nested, sizeof(nested));
	opt(&p, 52, "\x01", 1);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_EOVERLOAD);
	/* an option in the file field that runs past the field's 128 bytes */
	static const uint8_t runs_over[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	uint8_t file[128];
	memset(file, 0, sizeof(file));
	memcpy(file, runs_over, sizeof(runs_over));
	file[125] = 12;
	file[126] = 10;
	file[127] = 'x';
	bootp(&p, NULL, 0, file, sizeof(file));
	opt(&p, 52, "\x01", 1);
	opt(&p, 60, "after", 5);                 /* the cookie area continues past file */
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_EOPTION);
}

static void test_concatenation_and_fqdn(void **state)
{
	(void)state;
	struct pkt p;
	struct dhcp_info d;

	/* RFC 3396: one option split in instances, with padding between */
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 12, "kitchen-", 8);
	pk_u8(&p, 0);
	pk_u8(&p, 0);
	opt(&p, 12, "speaker", 7);
	pk_u8(&p, 255);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.hostname, "kitchen-speaker");
	/* split instances that add up to more than a label: refused */
	char part[40];
	memset(part, 'k', sizeof(part));
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 12, part, 40);
	opt(&p, 12, part, 40);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.hostname, "");
	assert_int_equal(d.refused, 1);

	/* FQDN, ASCII form with a trailing dot */
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 81, "\x00\x00\x00" "DESKTOP-1.example.com.", 25);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.fqdn, "DESKTOP-1.example.com");
	/* FQDN, DNS wire form (E flag), full and partial */
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 81, "\x05\x00\x00\x04nas1\x07" "example\x03lan\x00", 21);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.fqdn, "nas1.example.lan");
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 81, "\x04\x00\x00\x04nas1", 8);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.fqdn, "nas1");
	/* wire form with a compression pointer, a label past the end, a dot inside a label */
	static const char *const bad[] = { "\x04\x00\x00\x04nas1\xc0\x03", "\x04\x00\x00\x09nas",
					   "\x04\x00\x00\x03" "a.b\x00" };
	static const size_t badlen[] = { 10, 7, 8 };
	for (size_t i = 0; i < 3; i++) {
		bootp(&p, NULL, 0, NULL, 0);
		opt(&p, 81, bad[i], badlen[i]);
		assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
		assert_string_equal(d.fqdn, "");
		assert_int_equal(d.refused, 1);
	}
}

static void test_parameter_list_bounds(void **state)
{
	(void)state;
	struct pkt p;
	struct dhcp_info d;
	uint8_t all[255], three[65];
	for (int i = 0; i < 255; i++)
		all[i] = (uint8_t)(i + 1);
	for (int i = 0; i < 65; i++)
		three[i] = (uint8_t)(100 + i);      /* three digits each: "100," */

	/* 64 three-digit codes make exactly 255 bytes of text: kept, split
	 * over two instances (RFC 3396) */
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 55, three, 40);
	opt(&p, 55, three + 40, 24);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_int_equal(strlen(d.params), DHCP_PARAMS_TEXT_MAX);
	assert_int_equal(strncmp(d.params, "100,101,", 8), 0);
	assert_non_null(strstr(d.params, ",162,163"));
	assert_true(name_fingerprint_ok(d.params, strlen(d.params)));
	assert_int_equal(d.refused, 0);
	/* one more code: 259 bytes, refused whole, never cut */
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 55, three, 65);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.params, "");
	assert_int_equal(d.refused, 1);
	/* 255 entries in one option (every code once): not a real client */
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 55, all, 255);
	opt(&p, 60, "MSFT 5.0", 8);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.params, "");
	assert_string_equal(d.vendor_class, "MSFT 5.0");  /* the rest still counts */
	assert_int_equal(d.refused, 1);
	/* more than 255 over several instances: refused too */
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 55, all, 255);
	opt(&p, 55, all, 10);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.params, "");
	assert_int_equal(d.refused, 1);
	/* codes 0 and 255 are bytes like any other in a fingerprint */
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 55, "\x00\xff\x01", 3);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.params, "0,255,1");
	/* length 0, and a list that runs past the options (the whole message
	 * is refused: nothing of it is used) */
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 55, "", 0);
	opt(&p, 60, "android-dhcp-14", 15);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.params, "");
	assert_string_equal(d.vendor_class, "android-dhcp-14");
	assert_int_equal(d.refused, 1);
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 60, "android-dhcp-14", 15);
	pk_u8(&p, 55);
	pk_u8(&p, 9);
	pk_bytes(&p, "\x01\x03\x06", 3);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_EOPTION);
	assert_string_equal(d.params, "");
	assert_string_equal(d.vendor_class, "");
	/* a vendor class of 255 bytes is kept; the list beside it too */
	char vc[255];
	memset(vc, 'v', sizeof(vc));
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 60, vc, sizeof(vc));
	opt(&p, 55, "\x01\x03\x06\x0f\x77\xfc", 6);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_int_equal(strlen(d.vendor_class), 255);
	assert_string_equal(d.params, "1,3,6,15,119,252");
	/* split over two instances, 256 bytes: too long for a vendor class */
	bootp(&p, NULL, 0, NULL, 0);
	opt(&p, 60, vc, sizeof(vc));
	opt(&p, 60, "v", 1);
	assert_int_equal(dhcp_parse(p.b, p.n, &d), DHCP_OK);
	assert_string_equal(d.vendor_class, "");
	assert_int_equal(d.refused, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dhclient_request),
		cmocka_unit_test(test_header_refusals),
		cmocka_unit_test(test_truncated_options),
		cmocka_unit_test(test_zero_length_and_bad_values),
		cmocka_unit_test(test_overload),
		cmocka_unit_test(test_concatenation_and_fqdn),
		cmocka_unit_test(test_parameter_list_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
