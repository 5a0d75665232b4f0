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
	assert_int_equal(t.used, 0);
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
		assert_true(t.used <= 16);
	}
	assert_int_equal(t.used, 16);
	assert_int_equal(t.evictions, 1000 - 16);
	/* every survivor is still findable by MAC and owns its address */
	unsigned found = 0;
	for (uint32_t i = 0; i < t.cap; i++) {
		struct dev_entry *d = &t.e[i];
		assert_true(d->used);
		assert_ptr_equal(devtable_find(&t, d->mac), d);
		assert_ptr_equal(devtable_owner(&t, d->ipv4[0]), d);
		found++;
	}
	assert_int_equal(found, 16);
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
	arpd_wire_device(&e, &e.table.e[0], &d);
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
 * out as the socket drains. A table that outgrows the announced parts while
 * they wait begins a new generation; one that shrinks ends with empty parts. */
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

	/* most devices leave after the first part: the rest are empty parts */
	c.budget = 1;
	arpd_report_table_start(&r, &e);
	parts = r.parts;
	assert_false(arpd_report_table_continue(&r, &e, cap_seq, cap_send, &c));
	unsigned first = c.devices;
	devtable_age(&e.table, 7000 * SEC + 60 * SEC);   /* every device forgotten */
	c.budget = -1;
	assert_true(arpd_report_table_continue(&r, &e, cap_seq, cap_send, &c));
	assert_int_equal(c.bad, 0);
	assert_int_equal(c.records, parts);
	assert_int_equal(c.complete_devices, first);
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
		cmocka_unit_test(test_addresses_per_device_bounded),
		cmocka_unit_test(test_oui),
		cmocka_unit_test(test_report_generation),
		cmocka_unit_test(test_report_generation_waits_for_room),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
