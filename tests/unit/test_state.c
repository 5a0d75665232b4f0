/* The reporter's state as the hub's events feed it: bad records, first
 * sightings of keys, helpers that fall silent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "log.h"
#include "reporter/state.h"

/* Run fn(arg) with stderr redirected; return the number of lines written. */
static int count_lines(void (*fn)(void *), void *arg)
{
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	fn(arg);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	int lines = 0, ch;
	while ((ch = fgetc(tmp)) != EOF)
		lines += ch == '\n';
	fclose(tmp);
	return lines;
}

static uint8_t recbuf[WIRE_MAX_LEN];

/* A CAP_DEVICES record of n valid entries, parsed; then every entry but the
 * first is given an invalid kind behind the parser's back (wire_parse refuses
 * such a record whole; the state must still log once if one gets through). */
static struct wire_msg devices_record(struct wire_device *devs, size_t n)
{
	struct wire_msg m;
	size_t len = wire_put_devices(recbuf, sizeof(recbuf), 2, devs, n);
	assert_true(len > 0);
	assert_int_equal(wire_parse(recbuf, len, &m), WIRE_OK);
	for (size_t i = 1; i < n; i++)
		recbuf[WIRE_HDR_LEN + WIRE_DEVICES_HDR_LEN + i * WIRE_DEVICE_LEN] = 9;
	return m;
}

struct feed {
	struct reporter_state *st;
	struct wire_msg m;
};

static void feed_record(void *arg)
{
	struct feed *f = arg;
	struct hub_events ev = state_hub_events(f->st);
	ev.record(ev.ctx, ROLE_CAPD, &f->m, 1000);
}

/* One bad record is one log line, not one per bad entry. */
static void test_bad_record_logs_one_line(void **state)
{
	(void)state;
	static struct wire_device devs[WIRE_DEVICES_MAX];
	struct reporter_state st;
	assert_int_equal(state_init(&st, 64), 0);
	log_init("netmon-test");
	log_set_rate_limit(0, 0);   /* no rate limit: count what the code asks to log */
	for (size_t i = 0; i < WIRE_DEVICES_MAX; i++) {
		memset(&devs[i], 0, sizeof(devs[i]));
		devs[i].kind = WIRE_KEY_IPV4;
		devs[i].addr[0] = 198;
		devs[i].addr[3] = (uint8_t)i;
	}
	struct feed f = { &st, devices_record(devs, WIRE_DEVICES_MAX) };
	assert_int_equal(count_lines(feed_record, &f), 1);
	log_set_rate_limit(LOG_RATE_BURST, LOG_RATE_WINDOW_NS);
	state_free(&st);
}

/* A record of entries each impossible in its own way: one line for all. */
static void test_impossible_entries_one_line(void **state)
{
	(void)state;
	struct reporter_state st;
	assert_int_equal(state_init(&st, 64), 0);
	log_init("netmon-test");
	log_set_rate_limit(0, 0);
	struct wire_device d[3];
	memset(d, 0, sizeof(d));
	for (int i = 0; i < 3; i++) {
		d[i].kind = WIRE_KEY_IPV4;
		d[i].addr[0] = 198;
		d[i].addr[3] = (uint8_t)(i + 1);
		d[i].created = 1;
		d[i].rx_bytes = 1000;
		d[i].rx_packets = 10;
	}
	d[0].rx_packets = 2000;             /* more frames than bytes */
	d[2] = d[1];                        /* the same key twice */
	struct feed f = { .st = &st };
	size_t len = wire_put_devices(recbuf, sizeof(recbuf), 2, d, 3);
	assert_int_equal(wire_parse(recbuf, len, &f.m), WIRE_OK);
	assert_int_equal(count_lines(feed_record, &f), 1);
	assert_int_equal(st.devices.refused[DEVTAB_FRAMES_GT_BYTES], 1);
	assert_int_equal(st.devices.refused[DEVTAB_DUPLICATE], 1);
	log_set_rate_limit(LOG_RATE_BURST, LOG_RATE_WINDOW_NS);
	state_free(&st);
}

static void feed_stats(struct reporter_state *st, uint64_t seq, uint64_t packets, uint64_t bytes,
		       uint64_t now)
{
	struct wire_cap_stats cs = { .packets = packets, .bytes = bytes, .ps_recv = packets,
				     .table_capacity = 16 };
	struct wire_msg m;
	size_t len = wire_put_cap_stats(recbuf, sizeof(recbuf), seq, &cs);
	assert_int_equal(wire_parse(recbuf, len, &m), WIRE_OK);
	struct hub_events ev = state_hub_events(st);
	ev.record(ev.ctx, ROLE_CAPD, &m, now);
}

/* capd's capture totals: a record going backwards or with more frames than
 * bytes is refused; a new instance still banks the old one. */
static void test_cap_stats_refused(void **state)
{
	(void)state;
	struct reporter_state st;
	assert_int_equal(state_init(&st, 64), 0);
	log_init("netmon-test");
	struct hub_events ev = state_hub_events(&st);
	struct wire_hello h = { .role = ROLE_CAPD, .proto_version = 1, .pid = 1, .instance_id = 7,
				.start_time_ns = 4000000000000000000ULL };
	ev.connected(ev.ctx, ROLE_CAPD, &h, 1);
	assert_true(st.helper[ROLE_CAPD].start_time_ns <= realtime_ns());   /* not in 2096 */
	feed_stats(&st, 2, 1000, 64000, 1000000000ULL);
	feed_stats(&st, 3, 500, 32000, 2000000000ULL);       /* backwards */
	feed_stats(&st, 4, 3000, 2000, 3000000000ULL);       /* frames > bytes */
	struct wire_cap_stats tot;
	state_capture_totals(&st, &tot);
	assert_int_equal(tot.packets, 1000);
	assert_int_equal(tot.bytes, 64000);
	assert_int_equal(st.capture.refused, 2);
	/* a new instance starts from zero: banked, not refused */
	h.instance_id = 8;
	ev.connected(ev.ctx, ROLE_CAPD, &h, 4000000000ULL);
	st.helper[ROLE_CAPD].instance_id = 8;
	feed_stats(&st, 2, 10, 640, 5000000000ULL);
	state_capture_totals(&st, &tot);
	assert_int_equal(tot.packets, 1010);
	assert_int_equal(tot.bytes, 64640);
	assert_int_equal(st.capture.refused, 2);
	state_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_record_logs_one_line),
		cmocka_unit_test(test_impossible_entries_one_line),
		cmocka_unit_test(test_cap_stats_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
