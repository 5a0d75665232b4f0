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
	st->totals_since_real_ns = 1764000000123000000ULL;
	memset(d, 0, sizeof(*d));
	d->n = 2;
	d->ch[0].kind = OUTPUT_HTTP;
	d->ch[0].spool.dropped = 3;
	d->ch[0].send_failures = 9;
	d->ch[1].kind = OUTPUT_OTLP;
	d->ch[1].send_failures = 4;
	d->ch[1].delivered = 11;
	d->ch[1].rejected_points = 17;
}

/* a decode target with the same channels, counters zero */
static void channels(struct delivery *d)
{
	memset(d, 0, sizeof(*d));
	d->n = 2;
	d->ch[0].kind = OUTPUT_OTLP;    /* found by kind, not by position */
	d->ch[1].kind = OUTPUT_HTTP;
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
	channels(&db);
	assert_int_equal(persist_decode(buf, n, &b, &db), 0);
	/* agent.totalsSince survives the restart */
	assert_true(b.totals_since_real_ns == 1764000000123000000ULL);
	assert_int_equal(db.ch[1].spool.dropped, 3);
	assert_int_equal(db.ch[1].send_failures, 9);
	assert_int_equal(db.ch[0].send_failures, 4);
	assert_int_equal(db.ch[0].delivered, 11);
	assert_int_equal(db.ch[0].rejected_points, 17);
	assert_int_equal(db.ch[0].spool.dropped, 0);
	assert_int_equal(devtab_count(&b.devices), 10);
	struct wire_cap_stats t;
	state_capture_totals(&b, &t);
	assert_int_equal(t.packets, 200500);
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
	channels(&db);
	for (size_t i = 0; i < n; i += 7) {
		buf[i] ^= 0x40;
		assert_int_equal(persist_decode(buf, n, &b, &db), -1);
		buf[i] ^= 0x40;
	}
	for (size_t len = 0; len < n; len += 13)
		assert_int_equal(persist_decode(buf, len, &b, &db), -1);
	assert_int_equal(devtab_count(&b.devices), 0);   /* nothing half-restored */
	assert_int_equal(db.ch[1].spool.dropped, 0);
	assert_true(b.totals_since_real_ns == 0);
	/* more devices than this reporter's table holds: refused, not truncated */
	struct reporter_state small;
	assert_int_equal(state_init(&small, 4), 0);
	assert_int_equal(persist_decode(buf, n, &small, NULL), -1);
	state_free(&small);
	free(buf);
	state_free(&a);
	state_free(&b);
}

/* A file from before totalsSince (NMSTATE1) is still read: the totals go on,
 * their start becomes "now", http's counters come back. */
static void test_reads_v1(void **state)
{
	(void)state;
	struct reporter_state a, b;
	struct delivery da, db;
	fill(&a, &da);
	size_t n = persist_encoded_size(&a);
	uint8_t *buf = malloc(n);
	assert_int_equal(persist_encode(&a, &da, buf, n), n);
	/* v1 = v2 without its 7 extra words (totals_since, rejected, otlp's five) */
	size_t extra = 7 * 8, at = 8 + 8 + 1 + 8 + 2 * (8 * 6 + 8) + 4 * 8;
	memcpy(buf, "NMSTATE1", 8);
	memmove(buf + at, buf + at + extra, n - at - extra);
	size_t v1 = n - extra;
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < v1 - 8; i++) {
		h ^= buf[i];
		h *= 1099511628211ULL;
	}
	for (int i = 0; i < 8; i++)
		buf[v1 - 8 + i] = (uint8_t)(h >> (56 - 8 * i));
	assert_int_equal(state_init(&b, 64), 0);
	channels(&db);
	assert_int_equal(persist_decode(buf, v1, &b, &db), 0);
	assert_int_equal(devtab_count(&b.devices), 10);
	assert_int_equal(db.ch[1].send_failures, 9);
	assert_int_equal(db.ch[0].send_failures, 0);
	assert_true(b.totals_since_real_ns > 1764000000123000000ULL);
	free(buf);
	state_free(&a);
	state_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_damage_refused_whole),
		cmocka_unit_test(test_reads_v1),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
