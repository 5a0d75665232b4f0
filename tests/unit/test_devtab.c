/* The reporter's merge of capd counters: monotonic across restarts and evictions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "reporter/devtab.h"

static struct wire_device dev(uint8_t last, uint64_t created, uint64_t rx, uint64_t tx)
{
	struct wire_device d = { .kind = WIRE_KEY_IPV4, .addr = { 198, 18, 0, last },
				 .created = created, .rx_bytes = rx, .tx_bytes = tx,
				 .rx_packets = rx / 100, .tx_packets = tx / 100 };
	return d;
}

static const struct dev_entry *lookup(const struct devtab *t, uint8_t last)
{
	const uint8_t addr[16] = { 198, 18, 0, last };
	return devtab_find(t, WIRE_KEY_IPV4, addr);
}

static void test_repeat_is_idempotent(void **state)
{
	(void)state;
	struct devtab t;
	assert_int_equal(devtab_init(&t, 8, 8), 0);
	struct wire_device d = dev(1, 1, 1000, 500);
	devtab_update(&t, 7, &d, 1);
	devtab_update(&t, 7, &d, 2);   /* duplicated record */
	d.rx_bytes = 1500;
	devtab_update(&t, 7, &d, 3);
	const struct dev_entry *e = lookup(&t, 1);
	assert_non_null(e);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES), 1500);
	assert_int_equal(devtab_total(e, DEV_TX_BYTES), 500);
	assert_int_equal(keytab_count(&t.ip), 1);
	devtab_free(&t);
}

static void test_restart_banks_old_counters(void **state)
{
	(void)state;
	struct devtab t;
	assert_int_equal(devtab_init(&t, 8, 8), 0);
	struct wire_device d = dev(1, 1, 1000, 500);
	devtab_update(&t, 7, &d, 1);
	/* capd restarted: new instance, counters from zero again */
	d = dev(1, 1, 200, 100);
	devtab_update(&t, 8, &d, 2);
	const struct dev_entry *e = lookup(&t, 1);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES), 1200);
	assert_int_equal(devtab_total(e, DEV_TX_BYTES), 600);
	/* then grows normally */
	d = dev(1, 1, 300, 100);
	devtab_update(&t, 8, &d, 3);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES), 1300);
	/* capd evicted and re-created the key: new creation serial */
	d = dev(1, 9, 50, 0);
	devtab_update(&t, 8, &d, 4);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES), 1350);
	for (int v = 0; v < DEVTAB_NVERDICTS; v++)
		assert_int_equal(t.refused[v], 0);
	devtab_free(&t);
}

static void test_backwards_within_entry_never_decreases(void **state)
{
	(void)state;
	struct devtab t;
	assert_int_equal(devtab_init(&t, 8, 8), 0);
	struct wire_device d = dev(1, 1, 1000, 500);
	devtab_update(&t, 7, &d, 1);
	d = dev(1, 1, 10, 500);   /* capd cannot send this: refused, nothing changes */
	assert_int_equal(devtab_update(&t, 7, &d, 2), DEVTAB_BACKWARDS);
	const struct dev_entry *e = lookup(&t, 1);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES), 1000);
	assert_int_equal(t.refused[DEVTAB_BACKWARDS], 1);
	/* the next true record continues from 1000, not 10 + 1000 */
	d = dev(1, 1, 1100, 500);
	assert_int_equal(devtab_update(&t, 7, &d, 3), DEVTAB_OK);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES), 1100);
	devtab_free(&t);
}

#define SEC 1000000000ULL

/* Records capd could not have sent are refused entry by entry and change
 * nothing; what a real capd sends around them is still merged. */
static void test_impossible_entries_refused(void **state)
{
	(void)state;
	struct devtab t;
	assert_int_equal(devtab_init(&t, 8, 8), 0);
	struct wire_device d = dev(1, 5, 1000, 1000);
	assert_int_equal(devtab_update(&t, 7, &d, 10 * SEC), DEVTAB_OK);
	const struct dev_entry *e = lookup(&t, 1);

	/* faster than any link: 2^40 bytes/s for 2 s + 1 s of slack, and more */
	d = dev(1, 5, 1000 + 4 * DEVTAB_MAX_BYTES_PER_S, 1000);
	assert_int_equal(devtab_update(&t, 7, &d, 12 * SEC), DEVTAB_TOO_FAST);
	/* a lot, but possible over 2 s */
	d = dev(1, 5, 1000 + DEVTAB_MAX_BYTES_PER_S, 1000);
	assert_int_equal(devtab_update(&t, 7, &d, 12 * SEC), DEVTAB_OK);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES), 1000 + DEVTAB_MAX_BYTES_PER_S);

	/* more frames than bytes */
	d = dev(2, 1, 100, 100);
	d.tx_packets = 101;
	assert_int_equal(devtab_update(&t, 7, &d, 12 * SEC), DEVTAB_FRAMES_GT_BYTES);
	assert_null(lookup(&t, 2));   /* no key made for a refused entry */

	/* an older creation serial from the same instance (serials only grow) */
	d = dev(1, 4, 5, 5);
	assert_int_equal(devtab_update(&t, 7, &d, 13 * SEC), DEVTAB_SERIAL_BACKWARDS);
	/* ... but from a new instance it is a restart */
	d = dev(1, 4, 5, 5);
	assert_int_equal(devtab_update(&t, 8, &d, 13 * SEC), DEVTAB_OK);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES), 1005 + DEVTAB_MAX_BYTES_PER_S);

	/* a key twice in one record: the repeat is refused */
	devtab_begin_batch(&t);
	d = dev(1, 4, 6, 5);
	assert_int_equal(devtab_update(&t, 8, &d, 14 * SEC), DEVTAB_OK);
	d = dev(1, 9, 500, 500);
	assert_int_equal(devtab_update(&t, 8, &d, 14 * SEC), DEVTAB_DUPLICATE);
	devtab_begin_batch(&t);
	d = dev(1, 4, 7, 5);
	assert_int_equal(devtab_update(&t, 8, &d, 15 * SEC), DEVTAB_OK);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES), 1007 + DEVTAB_MAX_BYTES_PER_S);

	/* received traffic for a broadcast MAC (SPEC 4: rx only to unicast) */
	struct wire_device m = { .kind = WIRE_KEY_MAC, .addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
				 .created = 1, .rx_bytes = 60, .rx_packets = 1 };
	assert_int_equal(devtab_update(&t, 8, &m, 15 * SEC), DEVTAB_GROUP_RX);
	m.rx_bytes = m.rx_packets = 0;
	m.tx_bytes = 60;   /* a frame with a group source address is counted as sent */
	m.tx_packets = 1;
	assert_int_equal(devtab_update(&t, 8, &m, 15 * SEC), DEVTAB_OK);

	assert_int_equal(t.refused[DEVTAB_TOO_FAST], 1);
	assert_int_equal(t.refused[DEVTAB_FRAMES_GT_BYTES], 1);
	assert_int_equal(t.refused[DEVTAB_SERIAL_BACKWARDS], 1);
	assert_int_equal(t.refused[DEVTAB_DUPLICATE], 1);
	assert_int_equal(t.refused[DEVTAB_GROUP_RX], 1);

	/* an address outside [agent] networks: capd counts none */
	struct cidr_list nets = { 0 };
	assert_int_equal(cidr_list_parse("198.18.0.0/24", &nets, NULL, 0), 0);
	t.networks = &nets;
	d = dev(9, 1, 10, 10);
	assert_int_equal(devtab_update(&t, 8, &d, 16 * SEC), DEVTAB_OK);
	d.addr[2] = 7;   /* 198.18.7.9 */
	assert_int_equal(devtab_update(&t, 8, &d, 16 * SEC), DEVTAB_NOT_LOCAL);
	devtab_begin_batch(&t);
	assert_int_equal(devtab_update(&t, 8, &m, 16 * SEC), DEVTAB_OK);   /* MACs are not addresses */
	devtab_free(&t);
}

/* A peer restarting over and over with the largest counters: the total
 * stops at WIRE_COUNTER_MAX, never wraps or goes backwards. */
static void test_totals_saturate(void **state)
{
	(void)state;
	struct devtab t;
	assert_int_equal(devtab_init(&t, 8, 8), 0);
	uint64_t last = 0;
	for (uint64_t i = 1; i <= 5; i++) {
		struct wire_device d = dev(1, 1, WIRE_COUNTER_MAX, WIRE_COUNTER_MAX);
		assert_int_equal(devtab_update(&t, 100 + i, &d, i * SEC), DEVTAB_OK);
		const struct dev_entry *e = lookup(&t, 1);
		uint64_t tot = devtab_total(e, DEV_RX_BYTES);
		assert_true(tot >= last);
		assert_true(tot <= WIRE_COUNTER_MAX);
		last = tot;
	}
	assert_int_equal(last, WIRE_COUNTER_MAX);
	assert_true(t.clamped >= 4);
	devtab_free(&t);
}

static void test_capacity_and_eviction(void **state)
{
	(void)state;
	struct devtab t;
	assert_int_equal(devtab_init(&t, 4, 4), 0);
	for (uint8_t i = 1; i <= 10; i++) {
		struct wire_device d = dev(i, 1, i, i);
		devtab_update(&t, 7, &d, i);
		assert_true(keytab_count(&t.ip) <= 4);
		/* the key just merged is always there, with its own totals */
		const struct dev_entry *e = lookup(&t, i);
		assert_non_null(e);
		assert_int_equal(devtab_total(e, DEV_RX_BYTES), i);
	}
	assert_int_equal(keytab_count(&t.ip), 4);
	assert_int_equal(devtab_replaced(&t), 6);
	/* survivors keep their totals and stay findable after more churn */
	for (uint8_t i = 1; i <= 10; i++) {
		const struct dev_entry *e = lookup(&t, i);
		if (e)
			assert_int_equal(devtab_total(e, DEV_RX_BYTES), i);
	}
	devtab_free(&t);
}

/* Second chance: a key updated every round survives a flood of one-off keys. */
static void test_busy_key_survives_flood(void **state)
{
	(void)state;
	struct devtab t;
	assert_int_equal(devtab_init(&t, 64, 64), 0);
	struct wire_device busy = dev(0, 1, 0, 0);
	busy.addr[2] = 1;
	for (uint32_t n = 0; n < 20000; n++) {
		busy.rx_bytes = n + 1;
		devtab_update(&t, 7, &busy, n);
		struct wire_device d = dev((uint8_t)n, 1, 1, 1);
		d.addr[1] = (uint8_t)(n >> 8);
		d.addr[2] = 2;
		devtab_update(&t, 7, &d, n);
		assert_true(keytab_count(&t.ip) <= 64);
	}
	size_t found = 0;
	for (uint32_t i = 0; i < keytab_count(&t.ip); i++) {
		const struct dev_entry *e = devtab_at(&t.ip, i);
		if (e->key[2] == 1) {
			found++;
			assert_int_equal(devtab_total(e, DEV_RX_BYTES), 20000);
		}
	}
	assert_int_equal(found, 1);
	assert_true(devtab_replaced(&t) > 19000);
	devtab_free(&t);
}

static void test_window(void **state)
{
	(void)state;
	struct devtab t;
	assert_int_equal(devtab_init(&t, 8, 8), 0);
	struct wire_device d = dev(1, 1, 1000, 0);
	devtab_update(&t, 7, &d, 1);
	devtab_mark_window(&t);
	d.rx_bytes = 1600;
	devtab_update(&t, 7, &d, 2);
	const struct dev_entry *e = lookup(&t, 1);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES) - e->window_start[DEV_RX_BYTES], 600);
	devtab_free(&t);
}

/* The first sighting is a baseline (a reporter restart meets keys with a
 * terabyte counted): no rate until the key's second sighting. */
static void test_first_sighting_is_baseline(void **state)
{
	(void)state;
	struct devtab t;
	assert_int_equal(devtab_init(&t, 8, 8), 0);
	const uint64_t tb = 1000000000000ULL;
	struct wire_device d = dev(1, 1, tb, tb / 2);
	devtab_update(&t, 7, &d, 1);
	const struct dev_entry *e = lookup(&t, 1);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES), tb);          /* the total is kept */
	assert_int_equal(devtab_total(e, DEV_RX_BYTES) - e->window_start[DEV_RX_BYTES], 0);
	assert_int_equal(devtab_total(e, DEV_TX_BYTES) - e->window_start[DEV_TX_BYTES], 0);
	/* the second sighting, in the same window: only what it added */
	d.rx_bytes = tb + 5000;
	devtab_update(&t, 7, &d, 2);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES) - e->window_start[DEV_RX_BYTES], 5000);
	/* a capd restart after that is traffic, banked on top, not a new baseline */
	devtab_mark_window(&t);
	d = dev(1, 1, 300, 0);
	devtab_update(&t, 8, &d, 3);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES) - e->window_start[DEV_RX_BYTES], 300);
	devtab_free(&t);
}

/* MACs and IPs have their own capacity: a MAC flood evicts no IP's totals. */
static void test_mac_flood_keeps_ip_totals(void **state)
{
	(void)state;
	struct devtab t;
	assert_int_equal(devtab_init(&t, 16, 16), 0);
	struct wire_device ip = dev(1, 1, 123456, 654321);
	devtab_update(&t, 7, &ip, 1);
	for (uint32_t i = 0; i < 5000; i++) {
		struct wire_device m = { .kind = WIRE_KEY_MAC, .created = 1, .rx_bytes = 1,
					 .addr = { 0x02, 0, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i } };
		devtab_update(&t, 7, &m, 2 + i);
	}
	assert_true(t.mac.evictions > 4900);
	assert_int_equal(t.ip.evictions, 0);
	const struct dev_entry *e = lookup(&t, 1);
	assert_non_null(e);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES), 123456);
	assert_int_equal(devtab_total(e, DEV_TX_BYTES), 654321);
	devtab_free(&t);
}

/* The reporter's table before the keyed one: FNV-1a over (kind, 16 bytes),
 * open addressing over 2 x capacity slots rounded up to a power of two. */
static uint64_t old_fnv(uint8_t kind, const uint8_t addr[16])
{
	uint64_t h = 1469598103934665603ULL ^ kind;
	for (int i = 0; i < 16; i++) {
		h ^= addr[i];
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

#define FLOOD_N 60000
#define FLOOD_CAPACITY 65536
#define OLD_SLOTS_MASK (2 * FLOOD_CAPACITY - 1)

static uint64_t mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Bucket probes a lookup of every key in t takes: for each entry, the
 * distance from its home bucket (its keyed hash) to the bucket holding it,
 * plus one. The exact work of the table, free of the timing noise of a busy
 * or sanitized machine. */
static uint64_t probe_steps(const struct keytab *t)
{
	uint64_t steps = 0;
	for (uint32_t i = 0; i < keytab_count(t); i++) {
		const struct keytab_head *e = keytab_at(t, i);
		uint32_t home = (uint32_t)keytab_hash(t, e->kind, keytab_key_load(e->key)) & t->mask;
		steps += ((e->bucket - home) & t->mask) + 1;
	}
	return steps;
}

/* CPU time of merging all n MAC records into a fresh table (best of 5), and
 * the probes the table needs for them (*steps). */
static uint64_t merge_cost(const uint8_t (*macs)[6], size_t n, uint64_t *steps)
{
	uint64_t best = UINT64_MAX;
	for (int round = 0; round < 5; round++) {
		struct devtab t;
		assert_int_equal(devtab_init(&t, FLOOD_CAPACITY, FLOOD_CAPACITY), 0);
		uint64_t t0 = mono();
		for (size_t i = 0; i < n; i++) {
			struct wire_device d = { .kind = WIRE_KEY_MAC, .created = 1, .rx_bytes = 64,
						 .rx_packets = 1 };
			memcpy(d.addr, macs[i], 6);
			devtab_update(&t, 7, &d, i);
		}
		uint64_t dt = mono() - t0;
		if (dt < best)
			best = dt;
		*steps = probe_steps(&t.mac);
		devtab_free(&t);
	}
	return best;
}

/* Hash flooding: 60,000 MACs crafted so the old unkeyed FNV puts them all in
 * the first 1/128 of the slots (one long probe run: 336x the cost of random
 * MACs then) cost no more than twice as much as 60,000 random MACs. */
static void test_crafted_macs_cost_like_random(void **state)
{
	(void)state;
	static uint8_t crafted[FLOOD_N][6], random_macs[FLOOD_N][6];
	size_t n = 0;
	for (uint64_t c = 0; n < FLOOD_N; c++) {
		uint8_t addr[16] = { 0x02, (uint8_t)(c >> 32), (uint8_t)(c >> 24), (uint8_t)(c >> 16),
				     (uint8_t)(c >> 8), (uint8_t)c };
		if ((old_fnv(WIRE_KEY_MAC, addr) & OLD_SLOTS_MASK) < (OLD_SLOTS_MASK + 1) / 128)
			memcpy(crafted[n++], addr, 6);
	}
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	for (size_t i = 0; i < FLOOD_N; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(random_macs[i], &x, 6);
		random_macs[i][0] = (uint8_t)((random_macs[i][0] & 0xfe) | 0x02);
	}
	uint64_t c_steps, r_steps;
	uint64_t c_ns = merge_cost(crafted, FLOOD_N, &c_steps);
	uint64_t r_ns = merge_cost(random_macs, FLOOD_N, &r_steps);
	print_message("60000 MACs: crafted %.2f ms, random %.2f ms (time ratio %.2f, for "
		      "information); probes crafted %llu, random %llu, ratio %.3f\n", c_ns / 1e6,
		      r_ns / 1e6, (double)c_ns / (double)r_ns, (unsigned long long)c_steps,
		      (unsigned long long)r_steps, (double)c_steps / (double)r_steps);
	/* the table's work, exactly: an unkeyed hash gives the crafted set one
	 * probe run tens of thousands of buckets long */
	assert_true(c_steps <= 2 * r_steps);
}

/* Save, restore into a new table: totals continue; the bytes capd counted
 * while the reporter was down restart the window instead of making a rate. */
static void test_save_restore(void **state)
{
	(void)state;
	struct devtab a, b;
	assert_int_equal(devtab_init(&a, 8, 8), 0);
	assert_int_equal(devtab_init(&b, 8, 8), 0);
	struct wire_device d = dev(1, 1, 1000, 500);
	devtab_update(&a, 7, &d, 1);
	struct wire_device d2 = dev(2, 1, 10, 20);
	devtab_update(&a, 9, &d2, 1);
	d2.created = 2;               /* capd entry replaced: banks 10/20 */
	d2.rx_bytes = 5;
	d2.tx_bytes = 6;
	devtab_update(&a, 9, &d2, 2);

	size_t it = 0, n = 0;
	struct devtab_saved s;
	while (devtab_next(&a, &it, &s)) {
		assert_int_equal(devtab_restore(&b, &s), 0);
		assert_int_equal(devtab_restore(&b, &s), -1);   /* twice: refused */
		n++;
	}
	assert_int_equal(n, 2);
	assert_int_equal(devtab_count(&b), 2);
	assert_int_equal(devtab_total(lookup(&b, 2), DEV_RX_BYTES), 15);
	assert_int_equal(devtab_total(lookup(&b, 2), DEV_TX_BYTES), 26);

	/* same capd instance, later: continues, never double counts, no spike */
	d.rx_bytes = 9000;
	devtab_update(&b, 7, &d, 3);
	const struct dev_entry *e = lookup(&b, 1);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES), 9000);
	assert_int_equal(e->window_start[DEV_RX_BYTES], 9000);
	d.rx_bytes = 9100;
	devtab_update(&b, 7, &d, 4);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES) - e->window_start[DEV_RX_BYTES], 100);

	s.kind = 0;
	assert_int_equal(devtab_restore(&b, &s), -1);
	/* a full table evicts nothing for a restore */
	struct devtab c;
	assert_int_equal(devtab_init(&c, 1, 1), 0);
	it = 0;
	n = 0;
	while (devtab_next(&a, &it, &s))
		n += devtab_restore(&c, &s) == 0;
	assert_int_equal(n, 1);
	devtab_free(&a);
	devtab_free(&b);
	devtab_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repeat_is_idempotent),
		cmocka_unit_test(test_restart_banks_old_counters),
		cmocka_unit_test(test_backwards_within_entry_never_decreases),
		cmocka_unit_test(test_impossible_entries_refused),
		cmocka_unit_test(test_totals_saturate),
		cmocka_unit_test(test_capacity_and_eviction),
		cmocka_unit_test(test_busy_key_survives_flood),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_save_restore),
		cmocka_unit_test(test_first_sighting_is_baseline),
		cmocka_unit_test(test_mac_flood_keeps_ip_totals),
		cmocka_unit_test(test_crafted_macs_cost_like_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
