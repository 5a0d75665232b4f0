/* The reporter's saved merge state: round trip, and nothing half-restored
 * from a damaged file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reporter/persist.h"

static void fill(struct reporter_state *st, struct delivery *d)
{
	assert_int_equal(state_init(st, 64), 0);
	for (uint8_t i = 1; i <= 10; i++) {
		struct wire_device w = { .kind = WIRE_KEY_IPV4, .addr = { 198, 18, 0, i },
					 .created = 1, .rx_bytes = 1000u * i, .tx_bytes = 10u * i,
					 .rx_packets = i, .tx_packets = i };
		devtab_update(&st->devices, 77, &w, 1);
	}
	st->capture.have_stats = true;
	st->capture.instance_id = 77;
	st->capture.cur.packets = 500;
	st->capture.base.packets = 200000;
	memset(d, 0, sizeof(*d));
	d->spool.dropped = 3;
	d->send_failures = 9;
}

static void test_round_trip(void **state)
{
	(void)state;
	struct reporter_state a, b;
	struct delivery da, db;
	fill(&a, &da);
	size_t n = persist_encoded_size(&a);
	uint8_t *buf = malloc(n);
	assert_int_equal(persist_encode(&a, &da, buf, n), n);
	assert_int_equal(persist_encode(&a, &da, buf, n - 1), 0);

	assert_int_equal(state_init(&b, 64), 0);
	memset(&db, 0, sizeof(db));
	assert_int_equal(persist_decode(buf, n, &b, &db), 0);
	assert_int_equal(devtab_count(&b.devices), 10);
	struct wire_cap_stats t;
	state_capture_totals(&b, &t);
	assert_int_equal(t.packets, 200500);
	assert_int_equal(db.spool.dropped, 3);
	assert_int_equal(db.send_failures, 9);
	size_t it = 0;
	struct devtab_saved s;
	uint64_t rx = 0;
	while (devtab_next(&b.devices, &it, &s))
		rx += s.base[DEV_RX_BYTES] + s.cur[DEV_RX_BYTES];
	assert_int_equal(rx, 55000);
	free(buf);
	state_free(&a);
	state_free(&b);
}

static void test_damage_refused_whole(void **state)
{
	(void)state;
	struct reporter_state a, b;
	struct delivery da, db;
	fill(&a, &da);
	size_t n = persist_encoded_size(&a);
	uint8_t *buf = malloc(n);
	persist_encode(&a, &da, buf, n);
	assert_int_equal(state_init(&b, 64), 0);
	memset(&db, 0, sizeof(db));
	for (size_t i = 0; i < n; i += 7) {
		buf[i] ^= 0x40;
		assert_int_equal(persist_decode(buf, n, &b, &db), -1);
		buf[i] ^= 0x40;
	}
	for (size_t len = 0; len < n; len += 13)
		assert_int_equal(persist_decode(buf, len, &b, &db), -1);
	assert_int_equal(devtab_count(&b.devices), 0);   /* nothing half-restored */
	assert_int_equal(db.spool.dropped, 0);
	/* more devices than this reporter's table holds: refused, not truncated */
	struct reporter_state small;
	assert_int_equal(state_init(&small, 4), 0);
	assert_int_equal(persist_decode(buf, n, &small, NULL), -1);
	state_free(&small);
	free(buf);
	state_free(&a);
	state_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_damage_refused_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
