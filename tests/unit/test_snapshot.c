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
#include "wire.h"

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

/* The device list from the snapshot text, as JSON, and the device at `ip`. */
static json_t *device_at(const struct netmon_config *cfg, const struct reporter_state *st,
			 const char *ip, json_t **root)
{
	struct snapshot_clock clk = { .window_start_mono_ns = 1, .window_end_mono_ns = NSEC_PER_SEC,
				      .window_end_real_ns = 1796054402ULL * NSEC_PER_SEC };
	json_t *snap = snapshot_build(cfg, st, &clk, "00000000-0000-4000-8000-000000000000");
	size_t len;
	char *text = snapshot_text(cfg, snap, st, &clk, &len);
	assert_non_null(text);
	json_error_t err;
	*root = json_loads(text, 0, &err);
	if (!*root)
		fail_msg("not JSON: %s at %d: %.80s", err.text, err.position, text);
	free(text);
	json_decref(snap);
	json_t *devs = json_object_get(json_object_get(*root, "network"), "connectedDevices");
	for (size_t i = 0; i < json_array_size(devs); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(devs, i), "ip")), ip) == 0)
			return json_array_get(devs, i);
	fail_msg("no device %s", ip);
	return NULL;
}

/* deviceName: reverse DNS when it answered, else the best passive name in
 * the configured order; nameSource and every name per source beside it;
 * hostile bytes stay inside their JSON strings. */
static void test_names(void **state)
{
	(void)state;
	static uint8_t rec[WIRE_MAX_LEN];
	struct netmon_config cfg;
	config_defaults(&cfg);
	struct reporter_state st;
	assert_int_equal(state_init(&st, 16), 0);
	struct wire_arp_device a[2];
	memset(a, 0, sizeof(a));
	for (int i = 0; i < 2; i++) {
		a[i].mac[0] = 0x02; a[i].mac[5] = (uint8_t)(i + 1);
		a[i].flags = WIRE_ARP_ACTIVE;
		a[i].n4 = 1;
		memcpy(a[i].ipv4[0], (uint8_t[]){ 198, 18, 0, (uint8_t)(7 + i) }, 4);
	}
	a[0].nnames = 2;
	a[0].names[0].source = NAME_SRC_MDNS;
	strcpy(a[0].names[0].name, "k\xc3\xbc" "che \"pi\"\\");
	a[0].names[1].source = NAME_SRC_NETBIOS;
	strcpy(a[0].names[1].name, "KUECHE");
	struct wire_arp_devices_hdr h = { .generation = 1, .part = 0, .parts = 1, .count = 2 };
	size_t len = wire_put_arp_devices(rec, sizeof(rec), 2, &h, a);
	struct wire_msg m;
	assert_int_equal(wire_parse(rec, len, &m), WIRE_OK);
	arpview_record(&st.arp, &m);

	json_t *root, *d = device_at(&cfg, &st, "198.18.0.7", &root);
	assert_string_equal(json_string_value(json_object_get(d, "deviceName")), "k\xc3\xbc" "che \"pi\"\\");
	assert_string_equal(json_string_value(json_object_get(d, "nameSource")), "mdns");
	json_t *names = json_object_get(d, "names");
	assert_int_equal(json_object_size(names), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(names, "netbios"), 0)), "KUECHE");
	json_decref(root);
	json_t *other = device_at(&cfg, &st, "198.18.0.8", &root);
	assert_string_equal(json_string_value(json_object_get(other, "deviceName")), "");
	assert_string_equal(json_string_value(json_object_get(other, "nameSource")), "");
	assert_int_equal(json_object_size(json_object_get(other, "names")), 0);
	json_decref(root);

	/* reverse DNS answers: it wins by default, not when the order says so */
	struct device_names *n = names_book_get(&st.arp.names, a[0].mac, 5);
	assert_int_equal(names_observe(n, NAME_SRC_DNS, "kitchen.lan.example", 1), 1);
	d = device_at(&cfg, &st, "198.18.0.7", &root);
	assert_string_equal(json_string_value(json_object_get(d, "deviceName")), "kitchen.lan.example");
	assert_string_equal(json_string_value(json_object_get(d, "nameSource")), "dns");
	json_decref(root);
	char err[128];
	assert_int_equal(names_order_parse("netbios, dns", &cfg.name_sources, err, sizeof(err)), 0);
	d = device_at(&cfg, &st, "198.18.0.7", &root);
	assert_string_equal(json_string_value(json_object_get(d, "deviceName")), "KUECHE");
	assert_string_equal(json_string_value(json_object_get(d, "nameSource")), "netbios");
	json_decref(root);
	state_free(&st);
}

/* What a device says about itself: dhcp{vendorClass, fingerprint}, model,
 * hinfo{cpu, os} beside the names; a field never said is left out, so is
 * an object with nothing in it; hostile bytes stay inside their strings. */
static void test_about(void **state)
{
	(void)state;
	static uint8_t rec[WIRE_MAX_LEN];
	struct netmon_config cfg;
	config_defaults(&cfg);
	struct reporter_state st;
	assert_int_equal(state_init(&st, 16), 0);
	struct wire_arp_device a[3];
	memset(a, 0, sizeof(a));
	for (int i = 0; i < 3; i++) {
		a[i].mac[0] = 0x02; a[i].mac[5] = (uint8_t)(i + 1);
		a[i].flags = WIRE_ARP_ACTIVE;
		a[i].n4 = 1;
		memcpy(a[i].ipv4[0], (uint8_t[]){ 198, 18, 0, (uint8_t)(7 + i) }, 4);
	}
	strcpy(a[0].about.vendor_class, "MSFT \"5.0\"\\ </script>");
	strcpy(a[0].about.fingerprint, "1,3,6,15,31,33,43,44,46,47,119,121,249,252");
	strcpy(a[0].about.model, "Mac\xc3\xa9" "Book");
	strcpy(a[1].about.fingerprint, "1,3,6");
	strcpy(a[1].about.hinfo_os, "LINUX");
	struct wire_arp_devices_hdr h = { .generation = 1, .part = 0, .parts = 1, .count = 3 };
	size_t len = wire_put_arp_devices(rec, sizeof(rec), 2, &h, a);
	struct wire_msg m;
	assert_int_equal(wire_parse(rec, len, &m), WIRE_OK);
	arpview_record(&st.arp, &m);

	json_t *root, *d = device_at(&cfg, &st, "198.18.0.7", &root);
	json_t *dhcp = json_object_get(d, "dhcp");
	assert_int_equal(json_object_size(dhcp), 2);
	assert_string_equal(json_string_value(json_object_get(dhcp, "vendorClass")), "MSFT \"5.0\"\\ </script>");
	assert_string_equal(json_string_value(json_object_get(dhcp, "fingerprint")),
			    "1,3,6,15,31,33,43,44,46,47,119,121,249,252");
	assert_string_equal(json_string_value(json_object_get(d, "model")), "Mac\xc3\xa9" "Book");
	assert_null(json_object_get(d, "hinfo"));
	json_decref(root);
	d = device_at(&cfg, &st, "198.18.0.8", &root);
	dhcp = json_object_get(d, "dhcp");
	assert_int_equal(json_object_size(dhcp), 1);
	assert_null(json_object_get(dhcp, "vendorClass"));
	assert_string_equal(json_string_value(json_object_get(dhcp, "fingerprint")), "1,3,6");
	assert_null(json_object_get(d, "model"));
	json_t *hinfo = json_object_get(d, "hinfo");
	assert_int_equal(json_object_size(hinfo), 1);
	assert_string_equal(json_string_value(json_object_get(hinfo, "os")), "LINUX");
	json_decref(root);
	d = device_at(&cfg, &st, "198.18.0.9", &root);      /* said nothing */
	assert_null(json_object_get(d, "dhcp"));
	assert_null(json_object_get(d, "model"));
	assert_null(json_object_get(d, "hinfo"));
	json_decref(root);
	state_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_about),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
