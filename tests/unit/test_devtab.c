/* The reporter's merge of capd counters: monotonic across restarts and evictions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
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
	for (size_t i = 0; i < t->nslots; i++)
		if (t->slots[i].kind == WIRE_KEY_IPV4 && t->slots[i].addr[3] == last)
			return &t->slots[i];
	return NULL;
}

static void test_repeat_is_idempotent(void **state)
{
	(void)state;
	struct devtab t;
	assert_int_equal(devtab_init(&t, 8), 0);
	struct wire_device d = dev(1, 1, 1000, 500);
	devtab_update(&t, 7, &d, 1);
	devtab_update(&t, 7, &d, 2);   /* duplicated record */
	d.rx_bytes = 1500;
	devtab_update(&t, 7, &d, 3);
	const struct dev_entry *e = lookup(&t, 1);
	assert_non_null(e);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES), 1500);
	assert_int_equal(devtab_total(e, DEV_TX_BYTES), 500);
	assert_int_equal(t.count, 1);
	devtab_free(&t);
}

static void test_restart_banks_old_counters(void **state)
{
	(void)state;
	struct devtab t;
	assert_int_equal(devtab_init(&t, 8), 0);
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
	assert_int_equal(t.resets, 0);
	devtab_free(&t);
}

static void test_backwards_within_entry_never_decreases(void **state)
{
	(void)state;
	struct devtab t;
	assert_int_equal(devtab_init(&t, 8), 0);
	struct wire_device d = dev(1, 1, 1000, 500);
	devtab_update(&t, 7, &d, 1);
	d = dev(1, 1, 10, 500);   /* should not happen; must not go backwards */
	devtab_update(&t, 7, &d, 2);
	const struct dev_entry *e = lookup(&t, 1);
	assert_true(devtab_total(e, DEV_RX_BYTES) >= 1000);
	assert_int_equal(t.resets, 1);
	devtab_free(&t);
}

static void test_capacity_and_eviction(void **state)
{
	(void)state;
	struct devtab t;
	assert_int_equal(devtab_init(&t, 4), 0);
	for (uint8_t i = 1; i <= 10; i++) {
		struct wire_device d = dev(i, 1, i, i);
		devtab_update(&t, 7, &d, i);
		assert_true(t.count <= 4);
		/* the key just merged is always there, with its own totals */
		const struct dev_entry *e = lookup(&t, i);
		assert_non_null(e);
		assert_int_equal(devtab_total(e, DEV_RX_BYTES), i);
	}
	assert_int_equal(t.count, 4);
	assert_int_equal(t.replaced, 6);
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
	assert_int_equal(devtab_init(&t, 64), 0);
	struct wire_device busy = dev(0, 1, 0, 0);
	busy.addr[2] = 1;
	for (uint32_t n = 0; n < 20000; n++) {
		busy.rx_bytes = n + 1;
		devtab_update(&t, 7, &busy, n);
		struct wire_device d = dev((uint8_t)n, 1, 1, 1);
		d.addr[1] = (uint8_t)(n >> 8);
		d.addr[2] = 2;
		devtab_update(&t, 7, &d, n);
		assert_true(t.count <= 64);
	}
	size_t found = 0;
	for (size_t i = 0; i < t.nslots; i++)
		if (t.slots[i].kind && t.slots[i].addr[2] == 1) {
			found++;
			assert_int_equal(devtab_total(&t.slots[i], DEV_RX_BYTES), 20000);
		}
	assert_int_equal(found, 1);
	assert_true(t.replaced > 19000);
	devtab_free(&t);
}

static void test_window(void **state)
{
	(void)state;
	struct devtab t;
	assert_int_equal(devtab_init(&t, 8), 0);
	struct wire_device d = dev(1, 1, 1000, 0);
	devtab_update(&t, 7, &d, 1);
	devtab_mark_window(&t);
	d.rx_bytes = 1600;
	devtab_update(&t, 7, &d, 2);
	const struct dev_entry *e = lookup(&t, 1);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES) - e->window_start[DEV_RX_BYTES], 600);
	devtab_free(&t);
}

/* Save, restore into a new table: totals continue; the bytes capd counted
 * while the reporter was down restart the window instead of making a rate. */
static void test_save_restore(void **state)
{
	(void)state;
	struct devtab a, b;
	assert_int_equal(devtab_init(&a, 8), 0);
	assert_int_equal(devtab_init(&b, 8), 0);
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
	assert_int_equal(devtab_total(lookup(&b, 2), DEV_RX_BYTES), 15);
	assert_int_equal(devtab_total(lookup(&b, 2), DEV_TX_BYTES), 26);

	/* same capd instance, later: continues, never double counts */
	d.rx_bytes = 9000;
	devtab_update(&b, 7, &d, 3);
	const struct dev_entry *e = lookup(&b, 1);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES), 9000);
	assert_int_equal(e->window_start[DEV_RX_BYTES], 9000);   /* no 8000-byte spike */
	d.rx_bytes = 9100;
	devtab_update(&b, 7, &d, 4);
	assert_int_equal(devtab_total(e, DEV_RX_BYTES) - e->window_start[DEV_RX_BYTES], 100);

	s.kind = 0;
	assert_int_equal(devtab_restore(&b, &s), -1);
	devtab_free(&a);
	devtab_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repeat_is_idempotent),
		cmocka_unit_test(test_restart_banks_old_counters),
		cmocka_unit_test(test_backwards_within_entry_never_decreases),
		cmocka_unit_test(test_capacity_and_eviction),
		cmocka_unit_test(test_busy_key_survives_flood),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_save_restore),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
