/* The snapshot text: valid JSON, device list written in, window and totals right. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reporter/snapshot.h"
#include "sched.h"

static void test_text(void **state)
{
	(void)state;
	struct netmon_config cfg;
	config_defaults(&cfg);
	/* a server id that spells the splice marker must stay a string */
	snprintf(cfg.server_id, sizeof(cfg.server_id), "x\"connectedDevices\":[]y");
	struct reporter_state st;
	assert_int_equal(state_init(&st, 16), 0);
	struct wire_device d = { .kind = WIRE_KEY_IPV4, .addr = { 198, 18, 0, 7 }, .created = 1,
				 .rx_bytes = 1000, .tx_bytes = 50, .rx_packets = 10, .tx_packets = 1 };
	devtab_update(&st.devices, 1, &d, 1);
	devtab_mark_window(&st.devices);
	d.rx_bytes = 3500;            /* 2500 bytes in a 2 s window: 10000 bit/s */
	d.rx_packets = 15;
	devtab_update(&st.devices, 1, &d, 2);
	struct wire_device v6 = { .kind = WIRE_KEY_IPV6, .created = 1, .tx_bytes = 9 };
	memcpy(v6.addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	devtab_update(&st.devices, 1, &v6, 2);

	struct snapshot_clock clk = { .window_start_mono_ns = 10 * NSEC_PER_SEC,
				      .window_end_mono_ns = 12 * NSEC_PER_SEC,
				      .reporter_start_mono_ns = 0,
				      .window_start_real_ns = 1796054400ULL * NSEC_PER_SEC,
				      .window_end_real_ns = 1796054402ULL * NSEC_PER_SEC };
	json_t *snap = snapshot_build(&cfg, &st, &clk, "00000000-0000-4000-8000-000000000000");
	assert_non_null(snap);
	size_t len;
	char *text = snapshot_text(&cfg, snap, &st, &clk, &len);
	assert_non_null(text);
	assert_int_equal(strlen(text), len);
	assert_null(strchr(text, '\n'));
	json_error_t err;
	json_t *back = json_loads(text, 0, &err);
	if (!back)
		fail_msg("not JSON: %s at %d: %.80s", err.text, err.position, text);
	assert_string_equal(json_string_value(json_object_get(back, "serverId")), cfg.server_id);
	assert_int_equal(json_integer_value(json_object_get(back, "schemaVersion")), SNAPSHOT_SCHEMA_VERSION);
	json_t *devs = json_object_get(json_object_get(back, "network"), "connectedDevices");
	assert_int_equal(json_array_size(devs), 2);
	json_t *v4 = NULL;
	for (size_t i = 0; i < 2; i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(devs, i), "ip")),
			   "198.18.0.7") == 0)
			v4 = json_array_get(devs, i);
	assert_non_null(v4);
	json_t *bw = json_object_get(v4, "bandwidth");
	assert_int_equal(json_integer_value(json_object_get(bw, "rxBytesTotal")), 3500);
	assert_int_equal(json_integer_value(json_object_get(bw, "rxBytesWindow")), 2500);
	assert_int_equal(json_integer_value(json_object_get(bw, "rxRateBps")), 10000);
	assert_int_equal(json_integer_value(json_object_get(bw, "rxPacketsWindow")), 5);
	assert_int_equal(json_integer_value(json_object_get(bw, "txPacketsTotal")), 1);
	assert_string_equal(json_string_value(json_object_get(v4, "timeChecked")),
			    "2026-11-30T16:00:02.000Z");
	json_decref(back);
	free(text);
	json_decref(snap);
	state_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
