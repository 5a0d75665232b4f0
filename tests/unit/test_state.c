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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_record_logs_one_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
