/* The reporter's copy of arpd's table: only whole generations replace it;
 * lookups by address. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "reporter/arpview.h"
#include "wire.h"

static uint8_t buf[WIRE_MAX_LEN];

static struct wire_arp_device dev(uint8_t k, uint8_t ip_last)
{
	struct wire_arp_device d;
	memset(&d, 0, sizeof(d));
	d.mac[0] = 0x02; d.mac[5] = k;
	d.flags = WIRE_ARP_ACTIVE;
	d.n4 = 1;
	d.ipv4[0][0] = 198; d.ipv4[0][1] = 18; d.ipv4[0][3] = ip_last;
	d.n6 = 1;
	d.ipv6[0][0] = 0x20; d.ipv6[0][15] = k;
	d.first_seen_ms = d.last_seen_ms = 1000u + k;
	return d;
}

static void feed(struct arpview *v, uint64_t gen, uint16_t part, uint16_t parts,
		 const struct wire_arp_device *d, uint16_t n)
{
	struct wire_arp_devices_hdr h = { .generation = gen, .part = part, .parts = parts, .count = n };
	size_t len = wire_put_arp_devices(buf, sizeof(buf), 2, &h, d);
	struct wire_msg m;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	arpview_record(v, &m);
}

static void test_generations(void **state)
{
	(void)state;
	struct arpview v;
	arpview_init(&v);
	struct wire_arp_device a[2] = { dev(1, 10), dev(2, 20) }, b[1] = { dev(3, 30) };
	uint8_t ip10[4] = { 198, 18, 0, 10 }, ip30[4] = { 198, 18, 0, 30 };
	uint8_t v6_3[16] = { 0x20, [15] = 3 };
	/* generation 1 in two parts: visible only after the last */
	feed(&v, 1, 0, 2, a, 2);
	assert_false(v.have_table);
	assert_int_equal(arpview_find(&v, 4, ip10), -1);
	feed(&v, 1, 1, 2, b, 1);
	assert_true(v.have_table);
	assert_int_equal(v.cur.n, 3);
	assert_int_equal(arpview_find(&v, 4, ip10), 0);
	assert_int_equal(arpview_find(&v, 4, ip30), 2);
	assert_int_equal(arpview_find(&v, 6, v6_3), 2);
	/* generation 2 loses its part 0: the table stays generation 1's */
	feed(&v, 2, 1, 2, b, 1);
	assert_int_equal(v.cur.n, 3);
	assert_int_equal(v.generations_dropped, 0 + 0);
	/* generation 3 whole, one device: devices arpd forgot are gone */
	feed(&v, 3, 0, 1, b, 1);
	assert_int_equal(v.cur.n, 1);
	assert_int_equal(arpview_find(&v, 4, ip10), -1);
	assert_int_equal(arpview_find(&v, 4, ip30), 0);
	/* parts of two generations interleaved (a restarted arpd): neither counts */
	feed(&v, 4, 0, 2, a, 2);
	feed(&v, 1, 1, 2, b, 1);
	assert_int_equal(v.cur.n, 1);
	assert_true(v.generations_dropped >= 1);
	/* an empty table */
	feed(&v, 5, 0, 1, a, 0);
	assert_int_equal(v.cur.n, 0);
	assert_int_equal(arpview_find(&v, 4, ip30), -1);
	/* two devices claiming one address: the most recently seen wins */
	struct wire_arp_device c[2] = { dev(1, 10), dev(2, 10) };
	c[1].last_seen_ms = 5000;
	feed(&v, 6, 0, 1, c, 2);
	assert_int_equal(arpview_find(&v, 4, ip10), 1);
	arpview_free(&v);
}

/* arpd's names reach the book by MAC, only from complete generations, and
 * stay when the device's address changes; deviceName follows the order. */
/* What arpd could not have sent is left out of the table, the rest kept:
 * the zero MAC, a MAC twice, devices beyond max_devices; times ahead of the
 * clock are shown as now. */
static void test_refuses_impossible_devices(void **state)
{
	(void)state;
	struct arpview v;
	arpview_init(&v);
	v.max_devices = 4;
	struct wire_arp_device d[7] = { dev(1, 10), dev(0, 11), dev(1, 12), dev(3, 13),
					dev(4, 14), dev(5, 15), dev(6, 16) };
	d[1].mac[0] = 0;                                  /* 00:00:00:00:00:00 */
	d[3].first_seen_ms = 1ULL << 61;                  /* year 73 million */
	d[3].last_seen_ms = 1ULL << 62;
	feed(&v, 1, 0, 1, d, 7);
	assert_true(v.have_table);
	/* pushed: 1, 1 again, 3, 4 (max 4); 5 and 6 beyond; then the repeat of 1 out */
	assert_int_equal(v.cur.n, 3);
	assert_int_equal(v.refused_devices, 1 + 2 + 1);
	uint8_t ip10[4] = { 198, 18, 0, 10 }, ip11[4] = { 198, 18, 0, 11 };
	uint8_t ip12[4] = { 198, 18, 0, 12 }, ip13[4] = { 198, 18, 0, 13 };
	assert_int_equal(arpview_find(&v, 4, ip10), 0);   /* the first of the two kept */
	assert_int_equal(arpview_find(&v, 4, ip11), -1);
	assert_int_equal(arpview_find(&v, 4, ip12), -1);
	long k = arpview_find(&v, 4, ip13);
	assert_true(k >= 0);
	uint64_t now_ms = (uint64_t)time(NULL) * 1000;
	assert_true(v.cur.dev[k].last_seen_ms <= now_ms + 1000);
	assert_true(v.cur.dev[k].first_seen_ms <= v.cur.dev[k].last_seen_ms);
	assert_int_equal(v.clamped_times, 1);
	arpview_free(&v);
}

static void test_names_from_generations(void **state)
{
	(void)state;
	struct arpview v;
	arpview_init(&v);
	struct wire_arp_device a[2] = { dev(1, 10), dev(2, 20) };
	a[0].nnames = 2;
	a[0].names[0].source = NAME_SRC_MDNS;               /* newest first */
	strcpy(a[0].names[0].name, "kitchen-pi");
	a[0].names[1].source = NAME_SRC_DHCP;
	strcpy(a[0].names[1].name, "raspberrypi");
	/* a part out of order teaches nothing (its generation is abandoned) */
	feed(&v, 1, 1, 2, a, 1);
	assert_null(names_book_find(&v.names, a[0].mac));
	/* names are learned as their part arrives in order (the reporter's copy
	 * of the table keeps no names: the book has them) */
	feed(&v, 2, 0, 2, a, 2);
	assert_non_null(names_book_find(&v.names, a[0].mac));
	feed(&v, 2, 1, 2, a + 1, 0);
	const struct device_names *n = names_book_find(&v.names, a[0].mac);
	assert_non_null(n);
	assert_null(names_book_find(&v.names, a[1].mac));    /* no names, no entry */
	struct names_order def, mdns_first;
	names_order_default(&def);
	char err[128];
	assert_int_equal(names_order_parse("mdns, dhcp", &mdns_first, err, sizeof(err)), 0);
	enum name_source src;
	assert_string_equal(names_pick(n, &def, &src), "raspberrypi");
	assert_int_equal(src, NAME_SRC_DHCP);
	assert_string_equal(names_pick(n, &mdns_first, &src), "kitchen-pi");
	assert_int_equal(src, NAME_SRC_MDNS);
	/* the device moves to another address and arpd forgot the DHCP name:
	 * the book keeps what it saw (MAC identity), newest first */
	a[0].ipv4[0][3] = 99;
	a[0].nnames = 1;
	strcpy(a[0].names[0].name, "kitchen");
	feed(&v, 3, 0, 1, a, 1);
	n = names_book_find(&v.names, a[0].mac);
	const char *list[NAMES_KEEP];
	assert_int_equal(names_list(n, NAME_SRC_MDNS, list, NAMES_KEEP), 2);
	assert_string_equal(list[0], "kitchen");
	assert_string_equal(list[1], "kitchen-pi");
	assert_string_equal(names_pick(n, &def, &src), "raspberrypi");
	arpview_free(&v);
}

/* What a device says about itself reaches the book by MAC too (a device
 * without names gets an entry for it), and a later generation that lacks a
 * field keeps the value seen before (arpd restarted, say). */
static void test_about_from_generations(void **state)
{
	(void)state;
	struct arpview v;
	arpview_init(&v);
	struct wire_arp_device a[2] = { dev(1, 10), dev(2, 20) };
	strcpy(a[0].about.vendor_class, "dhcpcd-10.0.6:Linux-6.6:aarch64:Raspberry Pi 5");
	strcpy(a[0].about.fingerprint, "1,121,33,3,6,12,15,26,28,42,51,54,58,59,119");
	feed(&v, 1, 0, 1, a, 2);
	const struct device_names *n = names_book_find(&v.names, a[0].mac);
	assert_non_null(n);
	assert_int_equal(n->count[NAME_SRC_DHCP], 0);
	assert_string_equal(n->about.fingerprint, "1,121,33,3,6,12,15,26,28,42,51,54,58,59,119");
	assert_null(names_book_find(&v.names, a[1].mac));    /* nothing said: no entry */
	memset(&a[0].about, 0, sizeof(a[0].about));
	strcpy(a[0].about.model, "Raspberry Pi 5");
	feed(&v, 2, 0, 1, a, 1);
	n = names_book_find(&v.names, a[0].mac);
	assert_string_equal(n->about.model, "Raspberry Pi 5");
	assert_string_equal(n->about.vendor_class, "dhcpcd-10.0.6:Linux-6.6:aarch64:Raspberry Pi 5");
	memset(&a[0].about, 0, sizeof(a[0].about));
	feed(&v, 3, 0, 1, a, 1);                            /* arpd forgot it all */
	n = names_book_find(&v.names, a[0].mac);
	assert_string_equal(n->about.model, "Raspberry Pi 5");
	arpview_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_from_generations),
		cmocka_unit_test(test_about_from_generations),
		cmocka_unit_test(test_generations),
		cmocka_unit_test(test_refuses_impossible_devices),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
