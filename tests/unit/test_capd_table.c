/* Unit tests for capd's accounting table (capd/table.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../capd/table.h"
#include "capd_alloc_count.h"

static const uint64_t seed[2] = { 0x0123456789abcdefull, 0xfedcba9876543210ull };

static void key_u32(uint8_t key[16], uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	capd_table_key(key, b, sizeof(b));
}

static struct capd_table_entry *get_u32(struct capd_table *t, uint32_t v)
{
	uint8_t key[16];
	key_u32(key, v);
	return capd_table_get(t, CAPD_KEY_IPV4, key);
}

static const struct capd_table_entry *find_u32(const struct capd_table *t, uint32_t v)
{
	uint8_t key[16];
	key_u32(key, v);
	return capd_table_find(t, CAPD_KEY_IPV4, key);
}

/* Internal consistency: every entry is found by its own key through the
 * index, its back-pointer is right, and the index holds exactly count entries. */
static void check_invariants(const struct capd_table *t)
{
	assert_true(t->count <= t->capacity);
	for (uint32_t i = 0; i < t->count; i++) {
		const struct capd_table_entry *e = capd_table_at(t, i);
		assert_ptr_equal(capd_table_find(t, e->kind, e->key), e);
		assert_int_equal(t->buckets[e->bucket].entry, i + 1);
	}
	uint32_t used = 0;
	for (uint32_t b = 0; b <= t->mask; b++)
		used += t->buckets[b].entry != 0;
	assert_int_equal(used, t->count);
}

static void test_init_bounds(void **state)
{
	(void)state;
	struct capd_table t;
	assert_int_equal(capd_table_init(&t, 0, seed), -1);
	assert_int_equal(capd_table_init(&t, CAPD_TABLE_MAX_CAPACITY + 1, seed), -1);
	assert_int_equal(capd_table_init(&t, 1, seed), 0);
	assert_int_equal(t.capacity, 1);
	assert_true(t.mask + 1 >= 2);
	capd_table_free(&t);
	assert_int_equal(capd_table_init(&t, 1000, seed), 0);
	assert_true(t.mask + 1 >= 2000);          /* load stays <= 50% */
	assert_int_equal((t.mask + 1) & t.mask, 0); /* power of two */
	capd_table_free(&t);
}

/* Live and offline tables get their hash key from getrandom: two tables
 * never share one (a collision of 128 random bits does not happen). */
static void test_random_seed(void **state)
{
	(void)state;
	struct capd_table a, b;
	assert_int_equal(capd_table_init_random(&a, 16), 0);
	assert_int_equal(capd_table_init_random(&b, 16), 0);
	assert_int_equal(a.capacity, 16);
	assert_false(a.seed[0] == b.seed[0] && a.seed[1] == b.seed[1]);
	capd_table_free(&a);
	capd_table_free(&b);
	assert_int_equal(capd_table_init_random(&a, 0), -1);
}

static void test_insert_find_serial(void **state)
{
	(void)state;
	struct capd_table t;
	assert_int_equal(capd_table_init(&t, 16, seed), 0);
	assert_null(find_u32(&t, 1));

	struct capd_table_entry *a = get_u32(&t, 1);
	assert_non_null(a);
	assert_int_equal(a->rx_bytes + a->tx_bytes + a->rx_packets + a->tx_packets, 0);
	a->tx_bytes = 100;
	uint64_t sa = a->serial;
	struct capd_table_entry *b = get_u32(&t, 2);
	assert_true(b->serial > sa);

	/* the same key again is the same entry, counters kept, serial unchanged */
	struct capd_table_entry *a2 = get_u32(&t, 1);
	assert_ptr_equal(a2, find_u32(&t, 1));
	assert_int_equal(a2->tx_bytes, 100);
	assert_int_equal(a2->serial, sa);
	assert_int_equal(capd_table_count(&t), 2);
	capd_table_free(&t);
}

static void test_kinds_are_distinct(void **state)
{
	(void)state;
	struct capd_table t;
	uint8_t key[16];
	assert_int_equal(capd_table_init(&t, 16, seed), 0);
	memset(key, 0x11, sizeof(key));
	struct capd_table_entry *m = capd_table_get(&t, CAPD_KEY_MAC, key);
	m->rx_packets = 7;
	struct capd_table_entry *v6 = capd_table_get(&t, CAPD_KEY_IPV6, key);
	assert_ptr_not_equal(m, v6);
	assert_int_equal(v6->rx_packets, 0);
	assert_int_equal(capd_table_find(&t, CAPD_KEY_MAC, key)->rx_packets, 7);
	assert_null(capd_table_find(&t, CAPD_KEY_IPV4, key));
	capd_table_free(&t);
}

/* CLOCK order, worked out by hand: capacity 4 holds A B C D (hand at A);
 * A and C are hit. E arrives: A's bit is cleared, B (never hit) is evicted,
 * E takes B's slot. Then B again: the hand is at C (bit set: cleared), D
 * (clear) is evicted. */
static void test_clock_eviction_order(void **state)
{
	(void)state;
	struct capd_table t;
	assert_int_equal(capd_table_init(&t, 4, seed), 0);
	for (uint32_t k = 'A'; k <= 'D'; k++)
		get_u32(&t, k)->tx_packets = k;
	get_u32(&t, 'A');
	get_u32(&t, 'C');
	assert_int_equal(t.evictions, 0);

	uint64_t b_serial = find_u32(&t, 'B')->serial;
	struct capd_table_entry *e = get_u32(&t, 'E');
	assert_int_equal(e->serial, 5);
	assert_int_equal(t.evictions, 1);
	assert_null(find_u32(&t, 'B'));
	assert_non_null(find_u32(&t, 'A'));
	assert_non_null(find_u32(&t, 'C'));
	assert_non_null(find_u32(&t, 'D'));
	check_invariants(&t);

	/* B comes back: a new entry (counters restarted, new serial) */
	struct capd_table_entry *b = get_u32(&t, 'B');
	assert_int_equal(b->tx_packets, 0);
	assert_true(b->serial > b_serial);
	assert_int_equal(b->serial, 6);
	assert_int_equal(t.evictions, 2);
	assert_null(find_u32(&t, 'D'));
	assert_int_equal(find_u32(&t, 'A')->tx_packets, 'A');
	assert_int_equal(find_u32(&t, 'C')->tx_packets, 'C');
	assert_int_equal(capd_table_count(&t), 4);
	check_invariants(&t);
	capd_table_free(&t);
}

/* A stream of many more keys than slots (a scan, or 2 million addresses):
 * the count never exceeds the capacity, evictions add up, the index stays
 * consistent, and frequently seen keys survive the churn. */
static void test_churn_capacity_never_exceeded(void **state)
{
	(void)state;
	struct capd_table t;
	const uint32_t cap = 64, hot = 8;
	assert_int_equal(capd_table_init(&t, cap, seed), 0);
	uint64_t inserted = 0, last_serial = 0;
	for (uint32_t i = 0; i < 200000; i++) {
		/* a key never seen before, then the hot keys 0..hot-1 */
		for (uint32_t k = 0; k <= hot; k++) {
			struct capd_table_entry *e = get_u32(&t, k == hot ? 1000 + i : k);
			if (e->serial > last_serial) {     /* a new insertion */
				inserted++;
				last_serial = e->serial;
			}
		}
		assert_true(capd_table_count(&t) <= cap);
		if (i % 9973 == 0)
			check_invariants(&t);
	}
	check_invariants(&t);
	assert_int_equal(capd_table_count(&t), cap);
	assert_int_equal(inserted, 200000 + hot);
	assert_int_equal(t.next_serial - 1, inserted);  /* one serial per insertion */
	assert_int_equal(t.evictions, inserted - cap);
	/* hot keys, seen between every two insertions, were never evicted:
	 * they still carry the serials of their first insertion (1..hot) */
	for (uint32_t h = 0; h < hot; h++)
		assert_true(find_u32(&t, h)->serial <= hot);
	capd_table_free(&t);
}

/* Random mix of keys with heavy probe-run overlap in a tiny table: checks
 * backward-shift deletion against a plain list of the keys present. */
static void test_random_against_model(void **state)
{
	(void)state;
	struct capd_table t;
	const uint32_t cap = 8;
	assert_int_equal(capd_table_init(&t, cap, seed), 0);
	uint32_t x = 12345;
	for (int i = 0; i < 100000; i++) {
		x = x * 1103515245u + 12345u;
		uint32_t k = (x >> 16) % 24;
		uint32_t before = capd_table_count(&t);
		int present = find_u32(&t, k) != NULL;
		uint64_t ev = t.evictions;
		get_u32(&t, k);
		assert_non_null(find_u32(&t, k));
		if (present)
			assert_int_equal(t.evictions, ev);
		else if (before == cap)
			assert_int_equal(t.evictions, ev + 1);
		else
			assert_int_equal(capd_table_count(&t), before + 1);
		check_invariants(&t);
	}
	capd_table_free(&t);
}

static void test_no_allocation_after_init(void **state)
{
	(void)state;
	struct capd_table t;
	unsigned long maps_start = mapping_count();
	assert_int_equal(capd_table_init(&t, 1024, seed), 0);
	unsigned long maps_before = mapping_count();
	assert_true(maps_before > maps_start);   /* the count does see the table's mappings */
	unsigned long before = alloc_marker();
	for (uint32_t i = 0; i < 100000; i++) {
		struct capd_table_entry *e = get_u32(&t, i * 2654435761u);
		e->rx_bytes += 60;
		get_u32(&t, 7)->tx_bytes += 60;
	}
	assert_int_equal(alloc_marker(), before);
	assert_int_equal(mapping_count(), maps_before);
	assert_int_equal(capd_table_count(&t), 1024);
	capd_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_bounds),
		cmocka_unit_test(test_random_seed),
		cmocka_unit_test(test_insert_find_serial),
		cmocka_unit_test(test_kinds_are_distinct),
		cmocka_unit_test(test_clock_eviction_order),
		cmocka_unit_test(test_churn_capacity_never_exceeded),
		cmocka_unit_test(test_random_against_model),
		cmocka_unit_test(test_no_allocation_after_init),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
