/* arpd's records (types 32-34): round trips at the limits, byte layout as
 * docs/protocol.md says, and every malformed class refused by wire_parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cursor.h"
#include "name.h"
#include "netmon.h"
#include "wire.h"

static uint8_t buf[WIRE_MAX_LEN + 64];

static struct wire_arp_device device(unsigned k)
{
	struct wire_arp_device d;
	memset(&d, 0, sizeof(d));
	d.mac[0] = 0x02; d.mac[4] = (uint8_t)(k >> 8); d.mac[5] = (uint8_t)k;
	d.flags = WIRE_ARP_ACTIVE | WIRE_ARP_LOCAL | WIRE_ARP_SEEN_SWEEP;
	d.n4 = (uint8_t)(k % (WIRE_ARP_V4_MAX + 1));
	d.n6 = (uint8_t)(k % (WIRE_ARP_V6_MAX + 1));
	for (unsigned i = 0; i < d.n4; i++) {
		d.ipv4[i][0] = 198; d.ipv4[i][1] = 18; d.ipv4[i][3] = (uint8_t)(k + i);
	}
	for (unsigned i = 0; i < d.n6; i++) {
		d.ipv6[i][0] = 0x20; d.ipv6[i][1] = 0x01; d.ipv6[i][15] = (uint8_t)i;
	}
	d.first_seen_ms = 1764500000000ULL + k;
	d.last_seen_ms = d.first_seen_ms + 1000;
	snprintf(d.vendor, sizeof(d.vendor), k % 2 ? "Caf\xc3\xa9 \"Vendor\", Inc." : "");
	if (k % 3 == 1) {               /* 1..4 passive names, every source */
		d.nnames = (uint8_t)(1 + k % WIRE_ARP_NAMES_MAX);
		for (unsigned i = 0; i < d.nnames; i++) {
			d.names[i].source = (uint8_t)(NAME_SRC_DHCP + i % 3);
			snprintf(d.names[i].name, sizeof(d.names[i].name), "h\xc3\xb6st-%u-%u", k, i);
		}
	}
	if (k % 5 == 2) {               /* what some devices say about themselves */
		snprintf(d.about.vendor_class, sizeof(d.about.vendor_class), "dhcpcd-10.0.%u:Linux", k);
		snprintf(d.about.fingerprint, sizeof(d.about.fingerprint), "1,3,6,15,%u", k % 256);
		if (k % 2)
			snprintf(d.about.model, sizeof(d.about.model), "Mac\xc3\xa9%u", k);
	}
	return d;
}

static void test_stats_roundtrip_and_layout(void **state)
{
	(void)state;
	struct wire_arp_stats s = { 100, 60, 30, 10, 2, 3, 4, 5, 40, 4096, 40, 254 }, s2;
	struct wire_msg m;
	size_t len = wire_put_arp_stats(buf, sizeof(buf), 9, &s);
	assert_int_equal(len, WIRE_HDR_LEN + WIRE_ARP_STATS_LEN);
	assert_int_equal(buf[1], 32);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	assert_int_equal(wire_get_arp_stats(&m, &s2), WIRE_OK);
	assert_memory_equal(&s, &s2, sizeof(s));
	assert_string_equal(wire_type_name(WIRE_ARP_STATS), "arp_stats");
	assert_true(wire_type_allowed(ROLE_ARPD, WIRE_ARP_STATS));
	assert_false(wire_type_allowed(ROLE_CAPD, WIRE_ARP_STATS));
	assert_false(wire_type_allowed(ROLE_SYSD, WIRE_ARP_DEVICES));
	assert_false(wire_type_allowed(ROLE_CAPD, WIRE_ARP_EVENTS));
	/* devices > capacity, found > swept, arp+nd > frames: refused */
	s.devices = 5000;
	len = wire_put_arp_stats(buf, sizeof(buf), 9, &s);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);
	s.devices = 40; s.last_found = 255;
	len = wire_put_arp_stats(buf, sizeof(buf), 9, &s);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);
	s.last_found = 40; s.arp = 100;
	len = wire_put_arp_stats(buf, sizeof(buf), 9, &s);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);
	s.arp = 60; s.sweeps = (uint64_t)1 << 63;
	len = wire_put_arp_stats(buf, sizeof(buf), 9, &s);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);
}

static void test_devices_roundtrip_full_record(void **state)
{
	(void)state;
	static struct wire_arp_device devs[2400], out;
	size_t used = WIRE_HDR_LEN + WIRE_ARP_DEVICES_HDR_LEN, n = 0;
	/* fill one record as a sender would: up to WIRE_MAX_LEN */
	while (n < 2399) {
		devs[n] = device((unsigned)n);
		if (used + wire_arp_device_size(&devs[n]) > WIRE_MAX_LEN)
			break;
		used += wire_arp_device_size(&devs[n]);
		n++;
	}
	assert_true(n > 200 && n < 2399);     /* stopped by the record size */
	struct wire_arp_devices_hdr h = { .generation = 7, .part = 1, .parts = 3, .count = (uint16_t)n }, h2;
	size_t len = wire_put_arp_devices(buf, sizeof(buf), 3, &h, devs);
	assert_int_equal(len, used);
	struct wire_msg m;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	struct cursor c;
	assert_int_equal(wire_get_arp_devices(&m, &h2, &c), WIRE_OK);
	assert_true(h2.generation == 7 && h2.part == 1 && h2.parts == 3 && h2.count == n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(wire_get_arp_device(&c, &out), WIRE_OK);
		assert_memory_equal(out.mac, devs[i].mac, 6);
		assert_int_equal(out.n4, devs[i].n4);
		assert_int_equal(out.n6, devs[i].n6);
		assert_memory_equal(out.ipv4, devs[i].ipv4, 4u * out.n4);
		assert_memory_equal(out.ipv6, devs[i].ipv6, 16u * out.n6);
		assert_true(out.first_seen_ms == devs[i].first_seen_ms);
		assert_string_equal(out.vendor, devs[i].vendor);
		assert_int_equal(out.nnames, devs[i].nnames);
		for (unsigned k = 0; k < out.nnames; k++) {
			assert_int_equal(out.names[k].source, devs[i].names[k].source);
			assert_string_equal(out.names[k].name, devs[i].names[k].name);
		}
		assert_memory_equal(&out.about, &devs[i].about, sizeof(out.about));
		assert_int_equal(out.flags & WIRE_ARP_ABOUT, about_empty(&devs[i].about) ? 0 : WIRE_ARP_ABOUT);
	}
	assert_int_equal(c.left, 0);
	/* one more device does not fit */
	h.count = (uint16_t)(n + 1);
	devs[n] = device((unsigned)n);
	assert_int_equal(wire_put_arp_devices(buf, sizeof(buf), 3, &h, devs), 0);
	/* an empty table: one part, no device */
	struct wire_arp_devices_hdr empty = { .generation = 8, .part = 0, .parts = 1, .count = 0 };
	len = wire_put_arp_devices(buf, sizeof(buf), 4, &empty, devs);
	assert_int_equal(len, WIRE_HDR_LEN + WIRE_ARP_DEVICES_HDR_LEN);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
}

/* one device record to corrupt; returns its length */
static size_t one_device(struct wire_arp_device *d)
{
	struct wire_arp_devices_hdr h = { .generation = 1, .part = 0, .parts = 1, .count = 1 };
	return wire_put_arp_devices(buf, sizeof(buf), 2, &h, d);
}

static void test_devices_malformed(void **state)
{
	(void)state;
	struct wire_msg m;
	struct wire_arp_device d = device(5);     /* 0 IPv4, 0 IPv6, "Café..." */
	size_t len = one_device(&d);
	size_t e = WIRE_HDR_LEN + WIRE_ARP_DEVICES_HDR_LEN;    /* the entry */
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	/* every truncation is refused */
	for (size_t cut = WIRE_HDR_LEN; cut < len; cut++) {
		buf[4] = (uint8_t)(cut >> 24); buf[5] = (uint8_t)(cut >> 16);
		buf[6] = (uint8_t)(cut >> 8); buf[7] = (uint8_t)cut;
		assert_int_not_equal(wire_parse(buf, cut, &m), WIRE_OK);
	}
	struct { size_t off; uint8_t val; int err; } bad[] = {
		{ e + 6, 0x80, WIRE_EFIELD },                 /* unknown flag bit */
		{ e + 7, WIRE_ARP_V4_MAX + 1, WIRE_EFIELD },  /* too many IPv4 */
		{ e + 8, WIRE_ARP_V6_MAX + 1, WIRE_EFIELD },  /* too many IPv6 */
		{ e + 7, 1, WIRE_EFIELD },                    /* an IPv4 address eats the string */
		{ e + 9, 1, WIRE_ESIZE },                     /* a name announced, none there */
		{ e + 9, WIRE_ARP_NAMES_MAX + 1, WIRE_EFIELD },  /* too many names */
		{ e + 0, 0x01, WIRE_EFIELD },                 /* multicast MAC */
		{ e + 27, 64, WIRE_EFIELD },                  /* vendor longer than the record */
		{ e + 28, 0x07, WIRE_EFIELD },                /* control byte in the vendor */
		{ e + 31, 0xff, WIRE_EFIELD },                /* invalid UTF-8 in the vendor */
		{ WIRE_HDR_LEN + 8, 0, WIRE_OK },             /* part 0 of 1: fine */
		{ WIRE_HDR_LEN + 11, 0, WIRE_EFIELD },        /* parts 0 */
		{ WIRE_HDR_LEN + 13, 2, WIRE_ESIZE },         /* count 2, one entry */
		{ WIRE_HDR_LEN + 15, 1, WIRE_EFIELD },        /* reserved */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		len = one_device(&d);
		buf[bad[i].off] = bad[i].val;
		assert_int_equal(wire_parse(buf, len, &m), bad[i].err);
	}
	/* first seen after last seen */
	d.first_seen_ms = d.last_seen_ms + 1;
	assert_int_equal(wire_parse(buf, one_device(&d), &m), WIRE_EFIELD);
	/* trailing bytes after the last entry */
	d = device(5);
	len = one_device(&d);
	buf[len] = 0;
	buf[7] = (uint8_t)(len + 1);
	buf[6] = (uint8_t)((len + 1) >> 8);
	assert_int_equal(wire_parse(buf, len + 1, &m), WIRE_ESIZE);
	/* a vendor too long for the field is refused by the encoder */
	memset(d.vendor, 'x', WIRE_ARP_VENDOR_MAX);
	d.vendor[WIRE_ARP_VENDOR_MAX] = '\0';
	assert_int_not_equal(one_device(&d), 0);
}

/* The names after the vendor: byte layout, and every bad name refused. */
static void test_devices_names(void **state)
{
	(void)state;
	struct wire_msg m;
	struct wire_arp_device d = device(0), out;
	d.nnames = 2;
	d.names[0].source = NAME_SRC_DHCP;
	snprintf(d.names[0].name, sizeof(d.names[0].name), "laptop");
	d.names[1].source = NAME_SRC_NETBIOS;
	snprintf(d.names[1].name, sizeof(d.names[1].name), "WS1");
	size_t len = one_device(&d);
	size_t e = WIRE_HDR_LEN + WIRE_ARP_DEVICES_HDR_LEN;
	/* 26 fixed + empty vendor (2) + (1 + 2 + 6) + (1 + 2 + 3) */
	assert_int_equal(len, e + 28 + 9 + 6);
	assert_int_equal(wire_arp_device_size(&d), 28 + 9 + 6);
	assert_int_equal(buf[e + 9], 2);
	assert_memory_equal(buf + e + 28, "\x01\x00\x06laptop\x03\x00\x03WS1", 15);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	struct wire_arp_devices_hdr h;
	struct cursor c;
	assert_int_equal(wire_get_arp_devices(&m, &h, &c), WIRE_OK);
	assert_int_equal(wire_get_arp_device(&c, &out), WIRE_OK);
	assert_int_equal(out.nnames, 2);
	assert_string_equal(out.names[1].name, "WS1");
	struct { size_t off; uint8_t val; int err; } bad[] = {
		{ e + 28, NAME_SRC_DNS, WIRE_EFIELD },        /* reverse DNS is not arpd's */
		{ e + 28, NAME_SRC_COUNT, WIRE_EFIELD },      /* unknown source */
		{ e + 32, 0x1b, WIRE_EFIELD },                /* ESC in a name */
		{ e + 31, 0xc3, WIRE_EFIELD },                /* broken UTF-8 */
		{ e + 30, 7, WIRE_EFIELD },                   /* name runs into the next */
		{ e + 9, 1, WIRE_ESIZE },                     /* bytes after the last name */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		len = one_device(&d);
		buf[bad[i].off] = bad[i].val;
		assert_int_equal(wire_parse(buf, len, &m), bad[i].err);
	}
	/* an empty name: refused on the wire and by the encoder */
	len = one_device(&d);
	buf[e + 39] = 0x00;                   /* WS1's length 3 -> 0, then 3 bytes trail */
	assert_int_not_equal(wire_parse(buf, len, &m), WIRE_OK);
	d.names[1].name[0] = '\0';
	assert_int_equal(one_device(&d), 0);
	/* a 64-byte name does not fit a label; 63 does */
	memset(d.names[1].name, 'n', WIRE_ARP_NAME_MAX);
	d.names[1].name[WIRE_ARP_NAME_MAX] = '\0';
	len = one_device(&d);
	assert_int_not_equal(len, 0);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	buf[e + 38] = WIRE_ARP_NAME_MAX + 1;  /* claim 64: eats past the end */
	assert_int_not_equal(wire_parse(buf, len, &m), WIRE_OK);
	d.names[1].source = NAME_SRC_DNS;
	assert_int_equal(one_device(&d), 0);
}

/* The about block after the names (flag 0x20): byte layout, set by the
 * encoder, every bad field refused, and the largest entry. */
static void test_devices_about(void **state)
{
	(void)state;
	struct wire_msg m;
	struct wire_arp_device d = device(0), out;
	struct wire_arp_devices_hdr h;
	struct cursor c;
	size_t e = WIRE_HDR_LEN + WIRE_ARP_DEVICES_HDR_LEN;

	/* no about: no flag, no bytes (the entry as before the block existed) */
	d.flags |= WIRE_ARP_ABOUT;          /* a caller's bit is not trusted */
	size_t len = one_device(&d);
	assert_int_equal(len, e + 28);
	assert_int_equal(buf[e + 6] & WIRE_ARP_ABOUT, 0);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	/* the flag on such an entry promises strings that are not there */
	buf[e + 6] |= WIRE_ARP_ABOUT;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);

	snprintf(d.about.vendor_class, sizeof(d.about.vendor_class), "MSFT 5.0");
	snprintf(d.about.fingerprint, sizeof(d.about.fingerprint), "1,3,6");
	snprintf(d.about.hinfo_os, sizeof(d.about.hinfo_os), "LINUX");
	len = one_device(&d);
	/* 26 fixed + empty vendor (2) + 2+8 + 2+5 + 2 (no model) + 2 (no cpu) + 2+5 */
	assert_int_equal(len, e + 28 + 10 + 7 + 2 + 2 + 7);
	assert_int_equal(wire_arp_device_size(&d), 28 + 28);
	assert_int_equal(buf[e + 6], WIRE_ARP_ACTIVE | WIRE_ARP_LOCAL | WIRE_ARP_SEEN_SWEEP | WIRE_ARP_ABOUT);
	assert_memory_equal(buf + e + 28, "\x00\x08MSFT 5.0\x00\x05" "1,3,6\x00\x00\x00\x00\x00\x05LINUX", 28);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	assert_int_equal(wire_get_arp_devices(&m, &h, &c), WIRE_OK);
	assert_int_equal(wire_get_arp_device(&c, &out), WIRE_OK);
	assert_string_equal(out.about.vendor_class, "MSFT 5.0");
	assert_string_equal(out.about.fingerprint, "1,3,6");
	assert_string_equal(out.about.model, "");
	assert_string_equal(out.about.hinfo_os, "LINUX");
	assert_int_equal(c.left, 0);

	struct { size_t off; uint8_t val; int err; } bad[] = {
		{ e + 6, WIRE_ARP_ACTIVE, WIRE_ESIZE },        /* flag cleared: 28 bytes trail */
		{ e + 31, 0x1b, WIRE_EFIELD },                 /* ESC in the vendor class */
		{ e + 31, 0xc3, WIRE_EFIELD },                 /* broken UTF-8 */
		{ e + 29, 0x09, WIRE_EFIELD },                 /* vendor class runs into the next */
		{ e + 41, ';', WIRE_EFIELD },                  /* "1;3,6": not a fingerprint */
		{ e + 40, '0', WIRE_EFIELD },                  /* "0,3,6" is, "01" below is not */
		{ e + 56 - 1, 0x7f, WIRE_EFIELD },             /* DEL in HINFO os */
		{ e + 49, 0x01, WIRE_EFIELD },                 /* HINFO os claims 261 bytes */
		{ e + 46, 0x01, WIRE_EFIELD },                 /* model claims a byte: a NUL */
	};
	bad[5].err = WIRE_OK;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		len = one_device(&d);
		buf[bad[i].off] = bad[i].val;
		assert_int_equal(wire_parse(buf, len, &m), bad[i].err);
	}
	/* every truncation inside the block is refused */
	len = one_device(&d);
	for (size_t cut = e + 28; cut < len; cut++) {
		buf[6] = (uint8_t)(cut >> 8); buf[7] = (uint8_t)cut;
		assert_int_not_equal(wire_parse(buf, cut, &m), WIRE_OK);
	}
	/* fingerprints the decoder refuses in place of "1,3,6", and the
	 * encoder too; longer ones the encoder alone */
	static const char *const badfp[] = {
		"01,36", "1,,36", "1,3,,", ",1,36", "256,1", "1 ,36", "1,3,a", "-1,36",
		"1,3,6,1000", "", "1,3,6,",
	};
	for (size_t i = 0; i < sizeof(badfp) / sizeof(badfp[0]); i++) {
		struct wire_arp_device x = d;
		snprintf(x.about.fingerprint, sizeof(x.about.fingerprint), "%s", badfp[i]);
		if (badfp[i][0] == '\0') {     /* no fingerprint is fine */
			assert_int_not_equal(one_device(&x), 0);
			continue;
		}
		assert_int_equal(one_device(&x), 0);
		if (strlen(badfp[i]) == 5) {
			len = one_device(&d);
			memcpy(buf + e + 40, badfp[i], 5);
			assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);
		}
	}
	/* a control byte, or a string one byte over its bound: not encoded */
	struct wire_arp_device x = d;
	snprintf(x.about.model, sizeof(x.about.model), "Mac\nmini");
	assert_int_equal(one_device(&x), 0);
	x = d;
	memset(x.about.model, 'm', sizeof(x.about.model));  /* no NUL */
	assert_int_equal(one_device(&x), 0);

	/* the largest entry: every field at its bound, exactly WIRE_ARP_DEVICE_MAX */
	struct wire_arp_device big = device(4);   /* 4 IPv4, 4 IPv6 */
	memset(big.vendor, 'v', WIRE_ARP_VENDOR_MAX);
	big.vendor[WIRE_ARP_VENDOR_MAX] = '\0';
	big.nnames = WIRE_ARP_NAMES_MAX;
	for (unsigned i = 0; i < big.nnames; i++) {
		big.names[i].source = NAME_SRC_DHCP;
		memset(big.names[i].name, 'a' + (char)i, WIRE_ARP_NAME_MAX);
		big.names[i].name[WIRE_ARP_NAME_MAX] = '\0';
	}
	memset(big.about.vendor_class, 'c', NAME_VENDOR_CLASS_MAX);
	big.about.vendor_class[NAME_VENDOR_CLASS_MAX] = '\0';
	size_t o = 0;
	for (unsigned code = 100; o + 4 <= NAME_FINGERPRINT_MAX + 1; code++)
		o += (size_t)snprintf(big.about.fingerprint + o, sizeof(big.about.fingerprint) - o,
				      o ? ",%u" : "%u", code);
	assert_int_equal(strlen(big.about.fingerprint), NAME_FINGERPRINT_MAX);
	memset(big.about.model, 'm', NAME_MODEL_MAX);
	memset(big.about.hinfo_cpu, 'c', NAME_MODEL_MAX);
	memset(big.about.hinfo_os, 'o', NAME_MODEL_MAX);
	big.about.model[NAME_MODEL_MAX] = big.about.hinfo_cpu[NAME_MODEL_MAX] =
		big.about.hinfo_os[NAME_MODEL_MAX] = '\0';
	assert_int_equal(wire_arp_device_size(&big), WIRE_ARP_DEVICE_MAX);
	len = one_device(&big);
	assert_int_equal(len, e + WIRE_ARP_DEVICE_MAX);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	assert_int_equal(wire_get_arp_devices(&m, &h, &c), WIRE_OK);
	assert_int_equal(wire_get_arp_device(&c, &out), WIRE_OK);
	assert_memory_equal(&out.about, &big.about, sizeof(out.about));
	/* a record of only such entries: arpd's batch size (by the smallest
	 * entry) never limits how many fit, the record size does */
	size_t per = (WIRE_MAX_LEN - WIRE_HDR_LEN - WIRE_ARP_DEVICES_HDR_LEN) / WIRE_ARP_DEVICE_MAX;
	assert_true(per >= 50);
}

static void test_events(void **state)
{
	(void)state;
	struct wire_arp_event ev[WIRE_ARP_EVENTS_MAX + 1], out;
	memset(ev, 0, sizeof(ev));
	for (size_t i = 0; i <= WIRE_ARP_EVENTS_MAX; i++) {
		ev[i].kind = i % 2 ? WIRE_ARP_EV_FLIP_FLOP : WIRE_ARP_EV_MOVED;
		ev[i].ip[0] = 198; ev[i].ip[3] = (uint8_t)i;
		ev[i].old_mac[5] = 1; ev[i].new_mac[5] = 2;
		ev[i].count = (uint32_t)i + 1;
		ev[i].time_ms = 1764500000000ULL;
	}
	struct wire_msg m;
	size_t len = wire_put_arp_events(buf, sizeof(buf), 2, ev, WIRE_ARP_EVENTS_MAX);
	assert_int_equal(len, WIRE_HDR_LEN + 4 + WIRE_ARP_EVENTS_MAX * WIRE_ARP_EVENT_LEN);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	assert_int_equal(wire_arp_events_count(&m), WIRE_ARP_EVENTS_MAX);
	assert_int_equal(wire_get_arp_event(&m, 63, &out), WIRE_OK);
	assert_int_equal(out.count, 64);
	assert_int_equal(out.kind, WIRE_ARP_EV_FLIP_FLOP);
	assert_int_equal(wire_get_arp_event(&m, 64, &out), WIRE_ESIZE);
	assert_int_equal(wire_put_arp_events(buf, sizeof(buf), 2, ev, WIRE_ARP_EVENTS_MAX + 1), 0);
	assert_int_equal(wire_put_arp_events(buf, sizeof(buf), 2, ev, 0), 0);
	size_t e = WIRE_HDR_LEN + 4;
	struct { size_t off; uint8_t val; int err; } bad[] = {
		{ e + 0, 3, WIRE_EFIELD },        /* unknown kind */
		{ e + 1, 1, WIRE_EFIELD },        /* reserved */
		{ e + 19, 1, WIRE_EFIELD },       /* new MAC = old MAC */
		{ e + 23, 0, WIRE_EFIELD },       /* count 0 */
		{ WIRE_HDR_LEN + 1, 2, WIRE_ESIZE },  /* count 2, one entry */
		{ WIRE_HDR_LEN + 3, 1, WIRE_EFIELD },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		len = wire_put_arp_events(buf, sizeof(buf), 2, ev, 1);
		buf[bad[i].off] = bad[i].val;
		assert_int_equal(wire_parse(buf, len, &m), bad[i].err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_roundtrip_and_layout),
		cmocka_unit_test(test_devices_roundtrip_full_record),
		cmocka_unit_test(test_devices_malformed),
		cmocka_unit_test(test_devices_names),
		cmocka_unit_test(test_devices_about),
		cmocka_unit_test(test_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
