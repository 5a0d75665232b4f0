/*
 * arpd/passive.c: one datagram -> names tied to the right MAC and address,
 * whatever the protocol; ports pick the parser.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "arpd/passive.h"
#include "dnsmsg.h"
#include "pktbuf.h"

static const uint8_t sender[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x09 };
static const uint8_t client[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 };

static void udp4(struct passive_udp *u, const struct pkt *p, uint16_t sport, uint16_t dport,
		 const char *src4)
{
	memset(u, 0, sizeof(*u));
	memcpy(u->eth_src, sender, 6);
	u->family = 4;
	memcpy(u->src, src4, 4);
	u->sport = sport;
	u->dport = dport;
	u->payload = p->b;
	u->len = p->n;
}

static void test_ports(void **state)
{
	(void)state;
	assert_int_equal(passive_kind_of(68, 67), PASSIVE_DHCP);
	assert_int_equal(passive_kind_of(67, 68), PASSIVE_NONE);
	assert_int_equal(passive_kind_of(5353, 5353), PASSIVE_MDNS);
	assert_int_equal(passive_kind_of(5353, 40000), PASSIVE_MDNS);
	assert_int_equal(passive_kind_of(40000, 5353), PASSIVE_NONE);
	assert_int_equal(passive_kind_of(137, 137), PASSIVE_NBNS);
	assert_int_equal(passive_kind_of(138, 138), PASSIVE_NONE);
}

static void test_dhcp_names_chaddr(void **state)
{
	(void)state;
	struct pkt p = { .n = 0 };
	struct passive_udp u;
	struct passive_result r;

	pk_bytes(&p, "\x01\x01\x06\x01", 4);    /* relayed: hops 1 */
	pk_zero(&p, 24);                        /* xid .. giaddr, ciaddr 0 */
	pk_bytes(&p, client, 6);
	pk_zero(&p, 10 + 64 + 128);
	pk_bytes(&p, "\x63\x82\x53\x63", 4);
	pk_bytes(&p, "\x35\x01\x03\x32\x04\xc6\x12\x00\x18\x0c\x05phone\x3c\x04test\x37\x03\x01\x03\x06\xff", 28);
	udp4(&u, &p, 68, 67, "\x00\x00\x00\x00");
	assert_int_equal(passive_parse(&u, &r), PASSIVE_DHCP);
	assert_int_equal(r.err, DHCP_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.names[0].source, NAME_SRC_DHCP);
	assert_string_equal(r.names[0].name, "phone");
	assert_true(r.names[0].mac_known);
	assert_memory_equal(r.names[0].mac, client, 6);         /* chaddr, not the relay */
	assert_int_equal(r.names[0].family, 4);
	assert_memory_equal(r.names[0].addr, "\xc6\x12\x00\x18", 4);  /* requested address */
	assert_memory_equal(r.about_mac, client, 6);
	assert_string_equal(r.about.vendor_class, "test");
	assert_string_equal(r.about.fingerprint, "1,3,6");
	assert_string_equal(r.about.model, "");

	/* no host name: the vendor class and fingerprint still belong to
	 * chaddr; a hostile vendor class is refused, the list beside it kept */
	p.n = 240;
	pk_bytes(&p, "\x3c\x05te\x1bst\x37\x04\x01\x79\x03\xfc\xff", 14);
	assert_int_equal(passive_parse(&u, &r), PASSIVE_DHCP);
	assert_int_equal(r.n, 0);
	assert_memory_equal(r.about_mac, client, 6);
	assert_string_equal(r.about.vendor_class, "");
	assert_string_equal(r.about.fingerprint, "1,121,3,252");
	assert_int_equal(r.refused, 1);

	/* DHCP over IPv6 is not DHCPv4: nothing */
	u.family = 6;
	assert_int_equal(passive_parse(&u, &r), PASSIVE_NONE);
	assert_int_equal(r.n, 0);
}

static void test_mdns_names_by_address(void **state)
{
	(void)state;
	struct pkt p = { .n = 0 };
	struct passive_udp u;
	struct passive_result r;

	pk_bytes(&p, "\x00\x00\x84\x00\x00\x00\x00\x02\x00\x00\x00\x00", 12);
	pk_name(&p, "tv.local");
	pk_bytes(&p, "\x00\x01\x80\x01\x00\x00\x00\x78\x00\x04\xc6\x12\x00\x28", 14);
	pk_name(&p, "sleeping-mac.local");      /* a sleep proxy answering for another host */
	pk_bytes(&p, "\x00\x01\x80\x01\x00\x00\x00\x78\x00\x04\xc6\x12\x00\x29", 14);
	udp4(&u, &p, 5353, 5353, "\xc6\x12\x00\x28");
	assert_int_equal(passive_parse(&u, &r), PASSIVE_MDNS);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.names[0].name, "tv");
	assert_true(r.names[0].mac_known);
	assert_memory_equal(r.names[0].mac, sender, 6);
	assert_string_equal(r.names[1].name, "sleeping-mac");
	assert_false(r.names[1].mac_known);                     /* only its address */
	assert_memory_equal(r.names[1].addr, "\xc6\x12\x00\x29", 4);
}

/* A `_device-info` model and HINFO belong to the sender, with or without a
 * host name in the same message. */
static void test_mdns_device_info_about_sender(void **state)
{
	(void)state;
	struct pkt p = { .n = 0 };
	struct passive_udp u;
	struct passive_result r;

	pk_bytes(&p, "\x00\x00\x84\x00\x00\x00\x00\x02\x00\x00\x00\x00", 12);
	pk_name(&p, "Kitchen._device-info._tcp.local");
	pk_bytes(&p, "\x00\x10\x00\x01\x00\x00\x11\x94\x00\x0d\x0cmodel=J305AP", 23);
	pk_name(&p, "kitchen.local");
	pk_bytes(&p, "\x00\x0d\x80\x01\x00\x00\x00\x78\x00\x0d\x06X86_64\x05LINUX", 23);
	udp4(&u, &p, 5353, 5353, "\xc6\x12\x00\x28");
	assert_int_equal(passive_parse(&u, &r), PASSIVE_MDNS);
	assert_int_equal(r.err, DNS_OK);
	assert_int_equal(r.n, 0);                               /* no A record: no name */
	assert_memory_equal(r.about_mac, sender, 6);
	assert_string_equal(r.about.model, "J305AP");
	assert_string_equal(r.about.hinfo_cpu, "X86_64");
	assert_string_equal(r.about.hinfo_os, "LINUX");
	assert_string_equal(r.about.vendor_class, "");
	assert_string_equal(r.about.fingerprint, "");
	assert_true(about_ok(&r.about));
}

static void nb_reg(struct pkt *p, const char *name, uint8_t suffix, uint16_t nbflags, const char *addr)
{
	uint8_t raw[16];
	memset(raw, ' ', 15);
	memcpy(raw, name, strlen(name));
	raw[15] = suffix;
	pk_bytes(p, "\x80\x01\x29\x10\x00\x01\x00\x00\x00\x00\x00\x01\x20", 13);
	for (int i = 0; i < 16; i++) {
		pk_u8(p, (uint8_t)('A' + (raw[i] >> 4)));
		pk_u8(p, (uint8_t)('A' + (raw[i] & 15)));
	}
	pk_bytes(p, "\x00\x00\x20\x00\x01\xc0\x0c\x00\x20\x00\x01\x00\x04\x93\xe0\x00\x06", 17);
	pk_be16(p, nbflags);
	pk_bytes(p, addr, 4);
}

static void test_nbns_host_names_only(void **state)
{
	(void)state;
	struct pkt p = { .n = 0 };
	struct passive_udp u;
	struct passive_result r;

	nb_reg(&p, "NAS1", 0x20, 0, "\xc6\x12\x00\x1e");
	udp4(&u, &p, 137, 137, "\xc6\x12\x00\x1e");
	assert_int_equal(passive_parse(&u, &r), PASSIVE_NBNS);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.names[0].source, NAME_SRC_NETBIOS);
	assert_string_equal(r.names[0].name, "NAS1");
	assert_true(r.names[0].mac_known);
	/* registered for another address (a WINS proxy): address only */
	udp4(&u, &p, 137, 137, "\xc6\x12\x00\x01");
	assert_int_equal(passive_parse(&u, &r), PASSIVE_NBNS);
	assert_false(r.names[0].mac_known);
	/* a group name is no device's name */
	p.n = 0;
	nb_reg(&p, "WORKGROUP", 0x1e, 0x8000, "\xc6\x12\x00\x1e");
	udp4(&u, &p, 137, 137, "\xc6\x12\x00\x1e");
	assert_int_equal(passive_parse(&u, &r), PASSIVE_NBNS);
	assert_int_equal(r.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_dhcp_names_chaddr),
		cmocka_unit_test(test_mdns_device_info_about_sender),
		cmocka_unit_test(test_mdns_names_by_address),
		cmocka_unit_test(test_nbns_host_names_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
