/* arpd's device table (keyed by MAC, bounded, aged, move/flip-flop events)
 * and the OUI vendor table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "arpd/devtable.h"
#include "arpd/oui.h"
#include "arpd/report.h"
#include "cursor.h"
#include "wire.h"

#define SEC 1000000000ULL
static const uint8_t KEY[16] = { 7, 7, 7 };

static struct dev_obs obs(uint8_t last, uint32_t ip)
{
	struct dev_obs o = { .mac = { 0x00, 0x50, 0x56, 0, 0, last }, .how = SEEN_ARP,
			     .has_v4 = ip != 0, .ipv4 = ip };
	return o;
}

static void test_learn_and_age(void **state)
{
	(void)state;
	struct devtable t;
	struct dev_event ev;
	assert_int_equal(devtable_init(&t, 16, 10 * SEC, 100 * SEC, KEY), 0);
	struct dev_obs o = obs(1, 0xc6120005);
	struct dev_entry *d = devtable_observe(&t, &o, 1 * SEC, 111, &ev);
	assert_non_null(d);
	assert_int_equal(ev.kind, 0);
	assert_int_equal(d->n4, 1);
	assert_int_equal(d->status, DEV_ACTIVE);
	o.has_v4 = false;
	o.has_v6 = true;
	o.how = SEEN_ND;
	o.ipv6[0] = 0x20;
	assert_ptr_equal(devtable_observe(&t, &o, 2 * SEC, 222, &ev), d);
	assert_int_equal(d->n6, 1);
	assert_int_equal(d->how, SEEN_ARP | SEEN_ND);
	assert_int_equal(d->first_seen_rt, 111);
	assert_int_equal(d->last_seen_rt, 222);
	assert_ptr_equal(devtable_owner(&t, 0xc6120005), d);
	/* 9 s idle: still active; 10 s: inactive; 100 s: gone with its address */
	assert_int_equal(devtable_age(&t, 11 * SEC), 0);
	assert_int_equal(devtable_age(&t, 12 * SEC), 1);
	assert_int_equal(d->status, DEV_INACTIVE);
	assert_int_equal(devtable_age(&t, 102 * SEC), 1);
	assert_int_equal(devtable_count(&t), 0);
	assert_null(devtable_owner(&t, 0xc6120005));
	assert_null(devtable_find(&t, o.mac));
	devtable_free(&t);
}

static void test_moved_and_flip_flop_once(void **state)
{
	(void)state;
	struct devtable t;
	struct dev_event ev;
	assert_int_equal(devtable_init(&t, 16, 10 * SEC, 100 * SEC, KEY), 0);
	struct dev_obs a = obs(0xa, 0xc6120009), b = obs(0xb, 0xc6120009);
	devtable_observe(&t, &a, 1, 1, &ev);
	assert_int_equal(ev.kind, 0);
	devtable_observe(&t, &b, 2, 2, &ev);
	assert_int_equal(ev.kind, EV_IP_MOVED);
	assert_memory_equal(ev.old_mac, a.mac, 6);
	assert_memory_equal(ev.new_mac, b.mac, 6);
	assert_int_equal(devtable_find(&t, a.mac)->n4, 0);
	/* back to the MAC it had: two machines answer for it */
	devtable_observe(&t, &a, 3, 3, &ev);
	assert_int_equal(ev.kind, EV_FLIP_FLOP);
	/* and again, either way: counted, not reported again */
	for (int i = 0; i < 10; i++) {
		devtable_observe(&t, i % 2 ? &a : &b, 4, 4, &ev);
		assert_int_equal(ev.kind, 0);
	}
	assert_int_equal(t.n_ev, 2);
	assert_int_equal(t.ev[1].count, 11);
	assert_int_equal(t.events_total, 12);
	devtable_free(&t);
}

static void test_bounded_with_evictions(void **state)
{
	(void)state;
	struct devtable t;
	struct dev_event ev;
	assert_int_equal(devtable_init(&t, 16, 10 * SEC, 100 * SEC, KEY), 0);
	for (uint32_t i = 0; i < 1000; i++) {
		struct dev_obs o = obs((uint8_t)i, 0x0a000000 + i);
		o.mac[4] = (uint8_t)(i >> 8);
		assert_non_null(devtable_observe(&t, &o, i, i, &ev));
		assert_true(devtable_count(&t) <= 16);
	}
	assert_int_equal(devtable_count(&t), 16);
	assert_int_equal(t.evictions, 1000 - 16);
	/* every survivor is still findable by MAC and owns its address */
	unsigned found = 0;
	for (uint32_t i = 0; i < devtable_capacity(&t); i++) {
		struct dev_entry *d = devtable_at(&t, i);
		assert_int_equal(d->kind, DEV_KEY_MAC);
		assert_ptr_equal(devtable_find(&t, d->mac), d);
		assert_ptr_equal(devtable_owner(&t, d->ipv4[0]), d);
		found++;
	}
	assert_int_equal(found, 16);
	devtable_free(&t);
}

/* Every device findable by MAC and owner of each of its addresses, and no
 * other owner: what removals (which move the last device into the hole)
 * must keep true. */
static void check_consistent(const struct devtable *t)
{
	uint32_t owned = 0;
	for (uint32_t i = 0; i < devtable_count(t); i++) {
		struct dev_entry *d = devtable_at(t, i);
		assert_ptr_equal(devtable_find(t, d->mac), d);
		for (unsigned k = 0; k < d->n4; k++)
			assert_ptr_equal(devtable_owner(t, d->ipv4[k]), d);
		owned += d->n4;
	}
	assert_int_equal(keytab_count(&t->owners), owned);
}

static void test_removals_keep_owners_right(void **state)
{
	(void)state;
	static struct devtable t;
	struct dev_event ev;
	assert_int_equal(devtable_init(&t, 64, 10 * SEC, 100 * SEC, KEY), 0);
	/* 64 devices with 3 addresses each, seen at times 0..63 s */
	for (uint32_t i = 0; i < 64; i++)
		for (uint32_t k = 0; k < 3; k++) {
			struct dev_obs o = obs((uint8_t)i, 0x0a000000 + i * 4 + k);
			assert_non_null(devtable_observe(&t, &o, i * SEC, i, &ev));
		}
	check_consistent(&t);
	/* every odd device seen again later: the even ones are forgotten */
	for (uint32_t i = 1; i < 64; i += 2) {
		struct dev_obs o = obs((uint8_t)i, 0x0a000000 + i * 4);
		devtable_observe(&t, &o, 150 * SEC, 150, &ev);
	}
	devtable_age(&t, 170 * SEC);
	assert_int_equal(devtable_count(&t), 32);
	assert_int_equal(t.removed, 32);
	check_consistent(&t);
	for (uint32_t i = 0; i < 64; i++) {
		uint8_t mac[6] = { 0x02, 0, 0, 0, 0, (uint8_t)i };
		struct dev_obs o = obs((uint8_t)i, 0);
		memcpy(mac, o.mac, 6);
		if (i % 2)
			assert_non_null(devtable_find(&t, mac));
		else
			assert_null(devtable_find(&t, mac));
	}
	/* evictions on a full table, with addresses moving between devices */
	for (uint32_t i = 0; i < 500; i++) {
		struct dev_obs o = obs((uint8_t)(100 + i % 150), 0x0a000000 + (i * 7) % 300);
		o.mac[4] = (uint8_t)(i % 3);
		assert_non_null(devtable_observe(&t, &o, (200 + i) * SEC, 200 + i, &ev));
		check_consistent(&t);
	}
	assert_true(t.evictions > 0);
	devtable_free(&t);
}

static void test_addresses_per_device_bounded(void **state)
{
	(void)state;
	struct devtable t;
	struct dev_event ev;
	assert_int_equal(devtable_init(&t, 16, 10 * SEC, 100 * SEC, KEY), 0);
	struct dev_obs o = obs(1, 0);
	for (uint32_t i = 1; i <= 100; i++) {
		o.has_v4 = true;
		o.ipv4 = i;
		o.has_v6 = true;
		o.ipv6[15] = (uint8_t)i;
		devtable_observe(&t, &o, i, i, &ev);
	}
	struct dev_entry *d = devtable_find(&t, o.mac);
	assert_int_equal(d->n4, DEV_V4_MAX);
	assert_int_equal(d->ipv4[DEV_V4_MAX - 1], 100);
	assert_int_equal(d->n6, DEV_V6_MAX);
	assert_null(devtable_owner(&t, 1));
	assert_ptr_equal(devtable_owner(&t, 100), d);
	devtable_free(&t);
}

static void test_oui(void **state)
{
	(void)state;
	static const char csv[] =
		"Registry,Assignment,Organization Name,Organization Address\n"
		"MA-L,F4BD9E,\"Cisco Systems, Inc\",80 West Tasman Drive\r\n"
		"MA-L,005056,\"VMware, Inc.\",3401 Hillview Avenue\n"
		"MA-M,0050C2A,Too long a prefix,Nowhere\n"
		"MA-L,00XX00,Bad hex,Nowhere\n"
		"MA-L,000001,\"Quote \"\"inside\"\" \x01name\",x\n"
		"MA-L,000002,\"unterminated";
	struct oui_table t;
	assert_int_equal(oui_parse(&t, csv, sizeof(csv) - 1), 0);
	assert_int_equal(t.n, 4);
	uint8_t mac[6] = { 0x00, 0x50, 0x56, 1, 2, 3 };
	assert_string_equal(oui_lookup(&t, mac), "VMware, Inc.");
	mac[0] = 0xf4; mac[1] = 0xbd; mac[2] = 0x9e;
	assert_string_equal(oui_lookup(&t, mac), "Cisco Systems, Inc");
	mac[0] = 0; mac[1] = 0; mac[2] = 1;
	assert_string_equal(oui_lookup(&t, mac), "Quote \"inside\" name");
	mac[2] = 9;
	assert_null(oui_lookup(&t, mac));
	oui_free(&t);
	char err[256];
	assert_int_equal(oui_load(&t, "/nonexistent/oui.csv", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/oui.csv"));
	assert_int_equal(t.n, 0);
	/* long names are cut on a character boundary */
	char big[256];
	snprintf(big, sizeof(big), "MA-L,ABCDEF,%s\n", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	assert_int_equal(oui_parse(&t, big, strlen(big)), 0);
	mac[0] = 0xab; mac[1] = 0xcd; mac[2] = 0xef;
	assert_int_equal(strlen(oui_lookup(&t, mac)), 62);
	oui_free(&t);
}

/* A link for the table's parts: accepts `budget` records (-1: any number),
 * then answers "socket full", and checks every part it accepts. */
struct capture {
	uint64_t seq;
	unsigned records, devices, parts_seen;  /* of the generation being received */
	uint64_t generation;
	unsigned complete;                      /* generations received whole */
	unsigned complete_devices;              /* devices of the last whole one */
	int budget;
	int bad;
};

static uint64_t cap_seq(void *arg)
{
	return ((struct capture *)arg)->seq + 1;
}

static enum link_result cap_send(void *arg, const void *rec, size_t len)
{
	struct capture *c = arg;
	struct wire_msg m;
	struct wire_arp_devices_hdr h;
	struct wire_arp_device d;
	struct cursor cur;
	if (c->budget == 0)
		return LINK_BLOCKED;
	if (c->budget > 0)
		c->budget--;
	if (wire_parse(rec, len, &m) != WIRE_OK || wire_get_arp_devices(&m, &h, &cur) != WIRE_OK ||
	    m.hdr.seq != c->seq + 1) {
		c->bad++;
		return LINK_SENT;
	}
	c->seq++;
	if (h.generation != c->generation) {
		/* a new generation begins at part 0 (an unfinished one is abandoned) */
		if (h.generation < c->generation || h.part != 0)
			c->bad++;
		c->generation = h.generation;
		c->records = c->devices = 0;
	}
	if (h.part != c->records || h.parts == 0 || h.part >= h.parts)
		c->bad++;
	c->records++;
	c->parts_seen = h.parts;
	for (unsigned i = 0; i < h.count; i++)
		if (wire_get_arp_device(&cur, &d) == WIRE_OK)
			c->devices++;
	if (c->records == h.parts) {
		c->complete++;
		c->complete_devices = c->devices;
	}
	return LINK_SENT;
}

static void add_devices(struct devtable *t, uint32_t from, uint32_t n)
{
	struct dev_event ev;
	for (uint32_t i = from; i < from + n; i++) {
		struct dev_obs o = obs((uint8_t)i, 0x0a000000 + i);
		o.mac[4] = (uint8_t)(i >> 8);
		o.has_v6 = true;
		o.ipv6[0] = 0xfe;
		assert_non_null(devtable_observe(t, &o, i, 1000000000ULL * i, &ev));
	}
}

/* The whole table reaches the wire as one generation of valid parts. */
static void test_report_generation(void **state)
{
	(void)state;
	static struct arpd_engine e;
	static struct arpd_report r;
	memset(&e, 0, sizeof(e));
	assert_int_equal(devtable_init(&e.table, 5000, 10 * SEC, 100 * SEC, KEY), 0);
	static const char csv[] = "MA-L,005056,\"VMware, Inc.\",x\n";
	assert_int_equal(oui_parse(&e.oui, csv, sizeof(csv) - 1), 0);
	add_devices(&e.table, 0, 4000);
	assert_int_equal(arpd_report_init(&r), 0);
	struct capture c = { .budget = -1 };
	arpd_report_table_start(&r, &e);
	assert_true(arpd_report_table_continue(&r, &e, cap_seq, cap_send, &c));
	unsigned parts = r.parts;
	assert_int_equal(c.bad, 0);
	assert_true(parts >= 2);
	assert_int_equal(c.records, parts);
	assert_int_equal(c.parts_seen, parts);
	assert_int_equal(c.devices, 4000);
	assert_int_equal(c.complete, 1);
	assert_int_equal(c.generation, 1);
	struct wire_arp_device d;
	arpd_wire_device(&e, devtable_at(&e.table, 0), &d);
	assert_string_equal(d.vendor, "VMware, Inc.");
	assert_int_equal(d.flags, WIRE_ARP_ACTIVE | WIRE_ARP_SEEN_ARP);
	assert_int_equal(d.n4, 1);
	assert_int_equal(d.n6, 1);
	/* an empty table is one part with no device */
	devtable_age(&e.table, 1000 * SEC);
	memset(&c, 0, sizeof(c));
	c.budget = -1;
	c.generation = 1;
	c.seq = 0;
	arpd_report_table_start(&r, &e);
	assert_true(arpd_report_table_continue(&r, &e, cap_seq, cap_send, &c));
	assert_int_equal(r.parts, 1);
	assert_int_equal(c.complete, 1);
	assert_int_equal(c.complete_devices, 0);
	assert_int_equal(c.generation, 2);
	arpd_report_free(&r);
	oui_free(&e.oui);
	devtable_free(&e.table);
}

/* A generation bigger than the socket's room is not torn: a part that finds
 * the socket full waits, nothing newer starts meanwhile, and the rest goes
 * out as the socket drains. A table that outgrows the announced parts, or
 * loses a device, while they wait begins a new generation. */
static void test_report_generation_waits_for_room(void **state)
{
	(void)state;
	static struct arpd_engine e;
	static struct arpd_report r;
	memset(&e, 0, sizeof(e));
	assert_int_equal(devtable_init(&e.table, 8000, 10 * SEC, 100 * SEC, KEY), 0);
	add_devices(&e.table, 0, 4000);
	assert_int_equal(arpd_report_init(&r), 0);
	struct capture c = { .budget = 0 };

	/* the socket drains one record at a time */
	arpd_report_table_start(&r, &e);
	unsigned parts = r.parts, rounds = 0;
	assert_true(parts >= 2);
	while (!arpd_report_table_continue(&r, &e, cap_seq, cap_send, &c)) {
		assert_true(r.in_flight);
		arpd_report_table_start(&r, &e);     /* the next second: no new generation */
		assert_int_equal(r.generation, 1);
		c.budget = 1;
		assert_true(++rounds <= parts);
	}
	assert_int_equal(c.bad, 0);
	assert_int_equal(c.complete, 1);
	assert_int_equal(c.complete_devices, 4000);
	assert_int_equal(rounds, parts);

	/* 3000 more devices arrive after the first part went out */
	c.budget = 1;
	arpd_report_table_start(&r, &e);
	assert_false(arpd_report_table_continue(&r, &e, cap_seq, cap_send, &c));
	add_devices(&e.table, 4000, 3000);
	c.budget = -1;
	assert_true(arpd_report_table_continue(&r, &e, cap_seq, cap_send, &c));
	assert_int_equal(c.bad, 0);
	assert_int_equal(r.restarts, 1);
	assert_int_equal(c.complete, 2);
	assert_int_equal(c.complete_devices, 7000);
	assert_int_equal(c.generation, 3);

	/* devices leave after the first part went out: each removal moves the
	 * last device into the hole, maybe behind the parts sent, so the
	 * generation begins again and the reporter gets the table as it is */
	c.budget = 1;
	arpd_report_table_start(&r, &e);
	assert_false(arpd_report_table_continue(&r, &e, cap_seq, cap_send, &c));
	for (uint32_t i = 0; i < 7000; i += 2) {     /* every other one seen again */
		uint8_t mac[6] = { 0x00, 0x50, 0x56, 0, (uint8_t)(i >> 8), (uint8_t)i };
		devtable_find(&e.table, mac)->last_seen_mono = 7000 * SEC;
	}
	devtable_age(&e.table, 7000 * SEC + 60 * SEC);
	assert_int_equal(devtable_count(&e.table), 3500);
	c.budget = -1;
	assert_true(arpd_report_table_continue(&r, &e, cap_seq, cap_send, &c));
	assert_int_equal(c.bad, 0);
	assert_int_equal(r.restarts, 2);
	assert_int_equal(c.complete, 3);
	assert_int_equal(c.complete_devices, 3500);

	arpd_report_free(&r);
	devtable_free(&e.table);
}

/* Devices whose every name and attribute is at its bound (the largest
 * entries, WIRE_ARP_DEVICE_MAX or near): parts are filled by size, each a
 * valid record, and the whole table arrives; a device that grows between
 * parts (its DHCP request came in) is still sent whole. */
static void test_report_largest_entries(void **state)
{
	(void)state;
	static struct arpd_engine e;
	static struct arpd_report r;
	memset(&e, 0, sizeof(e));
	assert_int_equal(devtable_init(&e.table, 1000, 10 * SEC, 100 * SEC, KEY), 0);
	add_devices(&e.table, 0, 600);
	struct device_about big;
	memset(&big, 0, sizeof(big));
	memset(big.vendor_class, 'c', NAME_VENDOR_CLASS_MAX);
	size_t o = 0;
	for (unsigned code = 100; o + 4 <= NAME_FINGERPRINT_MAX + 1; code++)
		o += (size_t)snprintf(big.fingerprint + o, sizeof(big.fingerprint) - o, o ? ",%u" : "%u", code);
	memset(big.model, 'm', NAME_MODEL_MAX);
	memset(big.hinfo_cpu, 'p', NAME_MODEL_MAX);
	memset(big.hinfo_os, 'o', NAME_MODEL_MAX);
	char name[DEV_NAME_MAX + 1];
	for (uint32_t i = 0; i < devtable_count(&e.table); i++) {
		struct dev_entry *d = devtable_at(&e.table, i);
		for (unsigned k = 0; k < DEV_NAMES_MAX; k++) {
			memset(name, 'a' + (char)k, DEV_NAME_MAX);
			name[DEV_NAME_MAX] = '\0';
			assert_int_equal(devtable_name(&e.table, d, NAME_SRC_DHCP, name, k + 1), 1);
		}
		if (i % 2 == 0)
			assert_int_equal(devtable_about(&e.table, d, &big), 5);
	}
	assert_int_equal(arpd_report_init(&r), 0);
	struct capture c = { .budget = 1 };
	arpd_report_table_start(&r, &e);
	assert_false(arpd_report_table_continue(&r, &e, cap_seq, cap_send, &c));
	/* the odd devices say who they are while the first part waits */
	for (uint32_t i = 1; i < devtable_count(&e.table); i += 2)
		assert_int_equal(devtable_about(&e.table, devtable_at(&e.table, i), &big), 5);
	c.budget = -1;
	assert_true(arpd_report_table_continue(&r, &e, cap_seq, cap_send, &c));
	assert_int_equal(c.bad, 0);
	assert_int_equal(c.complete_devices, 600);
	/* each entry is 1021 bytes (1 IPv4, 1 IPv6, no vendor): 64 a record,
	 * 600 take 10 parts; the first announcement (half of them small) was
	 * outgrown and begun again */
	assert_int_equal(c.parts_seen, 10);
	assert_int_equal(r.restarts, 1);
	arpd_report_free(&r);
	devtable_free(&e.table);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_learn_and_age),
		cmocka_unit_test(test_moved_and_flip_flop_once),
		cmocka_unit_test(test_bounded_with_evictions),
		cmocka_unit_test(test_removals_keep_owners_right),
		cmocka_unit_test(test_addresses_per_device_bounded),
		cmocka_unit_test(test_oui),
		cmocka_unit_test(test_report_generation),
		cmocka_unit_test(test_report_generation_waits_for_room),
		cmocka_unit_test(test_report_largest_entries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
