/* Wire protocol: every record type round-trips, every malformed class is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "netmon.h"
#include "wire.h"

static uint8_t buf[WIRE_MAX_LEN + 64];

static void test_hello_roundtrip(void **state)
{
	(void)state;
	struct wire_hello in = { .role = ROLE_ARPD, .proto_version = WIRE_VERSION, .pid = 4242,
				 .instance_id = 0x0123456789abcdefULL, .start_time_ns = 99 };
	size_t len = wire_put_hello(buf, sizeof(buf), 1, &in);
	assert_int_equal(len, WIRE_HDR_LEN + WIRE_HELLO_LEN);
	struct wire_msg m;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	assert_int_equal(m.hdr.type, WIRE_HELLO);
	assert_int_equal(m.hdr.seq, 1);
	struct wire_hello out;
	assert_int_equal(wire_get_hello(&m, &out), WIRE_OK);
	assert_int_equal(out.role, ROLE_ARPD);
	assert_int_equal(out.pid, 4242);
	assert_true(out.instance_id == in.instance_id);
	assert_true(out.start_time_ns == 99);
	/* byte layout is big-endian, as docs/protocol.md says */
	assert_int_equal(buf[0], WIRE_VERSION);
	assert_int_equal(buf[1], WIRE_HELLO);
	assert_int_equal(buf[7], WIRE_HDR_LEN + WIRE_HELLO_LEN);
	assert_int_equal(buf[WIRE_HDR_LEN + 8], 0x01);
}

static void test_heartbeat_and_stats_roundtrip(void **state)
{
	(void)state;
	struct wire_heartbeat hb = { .uptime_ms = 123456, .send_drops = 7 }, hb2;
	struct wire_msg m;
	size_t len = wire_put_heartbeat(buf, sizeof(buf), 5, &hb);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	assert_int_equal(wire_get_heartbeat(&m, &hb2), WIRE_OK);
	assert_true(hb2.uptime_ms == 123456 && hb2.send_drops == 7);

	struct wire_cap_stats s = { 1, 2, 3, 4, 5, 6, 7, 8 }, s2;
	len = wire_put_cap_stats(buf, sizeof(buf), 6, &s);
	assert_int_equal(len, WIRE_HDR_LEN + WIRE_CAP_STATS_LEN);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	assert_int_equal(wire_get_cap_stats(&m, &s2), WIRE_OK);
	assert_memory_equal(&s, &s2, sizeof(s));
	/* a getter for another type refuses */
	assert_int_equal(wire_get_heartbeat(&m, &hb2), WIRE_ETYPE);
}

static void test_devices_roundtrip_max(void **state)
{
	(void)state;
	static struct wire_device d[WIRE_DEVICES_MAX];
	memset(d, 0, sizeof(d));
	for (size_t i = 0; i < WIRE_DEVICES_MAX; i++) {
		d[i].kind = (uint8_t)(i % 3 + 1);
		d[i].addr[0] = (uint8_t)i;
		d[i].addr[1] = (uint8_t)(i >> 8);
		if (d[i].kind == WIRE_KEY_IPV6)
			d[i].addr[15] = 0xee;
		d[i].created = i + 1;
		d[i].rx_bytes = UINT64_MAX - i;
		d[i].tx_packets = i * 3;
	}
	size_t len = wire_put_devices(buf, sizeof(buf), 2, d, WIRE_DEVICES_MAX);
	assert_true(len > 0 && len <= WIRE_MAX_LEN);
	struct wire_msg m;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	assert_int_equal(wire_devices_count(&m), WIRE_DEVICES_MAX);
	for (size_t i = 0; i < WIRE_DEVICES_MAX; i++) {
		struct wire_device o;
		assert_int_equal(wire_get_device(&m, i, &o), WIRE_OK);
		assert_memory_equal(&o.addr, &d[i].addr, 16);
		assert_true(o.kind == d[i].kind && o.created == d[i].created &&
			    o.rx_bytes == d[i].rx_bytes && o.tx_packets == d[i].tx_packets);
	}
	struct wire_device o;
	assert_int_not_equal(wire_get_device(&m, WIRE_DEVICES_MAX, &o), WIRE_OK);
	/* one more than the maximum cannot even be encoded */
	assert_int_equal(wire_put_devices(buf, sizeof(buf), 2, d, WIRE_DEVICES_MAX + 1), 0);
	assert_int_equal(wire_put_devices(buf, sizeof(buf), 2, d, 0), 0);
}

static void test_encoder_refuses_small_buffer(void **state)
{
	(void)state;
	struct wire_heartbeat hb = { 1, 2 };
	assert_int_equal(wire_put_heartbeat(buf, WIRE_HDR_LEN + WIRE_HEARTBEAT_LEN - 1, 1, &hb), 0);
}

static size_t good_heartbeat(void)
{
	struct wire_heartbeat hb = { 1, 2 };
	return wire_put_heartbeat(buf, sizeof(buf), 3, &hb);
}

static void set_len(size_t len)
{
	buf[4] = (uint8_t)(len >> 24);
	buf[5] = (uint8_t)(len >> 16);
	buf[6] = (uint8_t)(len >> 8);
	buf[7] = (uint8_t)len;
}

static void test_malformed_classes(void **state)
{
	(void)state;
	struct wire_msg m;
	size_t len;

	/* short: anything below a header, including nothing */
	len = good_heartbeat();
	for (size_t n = 0; n < WIRE_HDR_LEN; n++)
		assert_int_equal(wire_parse(buf, n, &m), WIRE_ESHORT);
	/* too long: bigger than the maximum, whatever the length field says */
	set_len(WIRE_MAX_LEN + 1);
	assert_int_equal(wire_parse(buf, WIRE_MAX_LEN + 1, &m), WIRE_ELONG);
	/* wrong version */
	len = good_heartbeat();
	buf[0] = WIRE_VERSION + 1;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EVERSION);
	buf[0] = 0;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EVERSION);
	/* length field disagrees with the message size */
	len = good_heartbeat();
	assert_int_equal(wire_parse(buf, len - 1, &m), WIRE_ELENGTH);
	set_len(len + 1);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_ELENGTH);
	/* wrong length for its type (consistent header, payload one byte short/long) */
	len = good_heartbeat();
	set_len(len - 1);
	assert_int_equal(wire_parse(buf, len - 1, &m), WIRE_ESIZE);
	len = good_heartbeat();
	buf[len] = 0;
	set_len(len + 1);
	assert_int_equal(wire_parse(buf, len + 1, &m), WIRE_ESIZE);
	/* unknown types */
	uint8_t unknown[] = { 0, 5, 99, 255 };
	for (size_t i = 0; i < sizeof(unknown); i++) {
		len = good_heartbeat();
		buf[1] = unknown[i];
		assert_int_equal(wire_parse(buf, len, &m), WIRE_ETYPE);
	}
	/* reserved flags */
	len = good_heartbeat();
	buf[3] = 1;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);
}

static void test_malformed_fields(void **state)
{
	(void)state;
	struct wire_msg m;
	struct wire_hello h = { .role = ROLE_CAPD, .proto_version = WIRE_VERSION, .pid = 1,
				.instance_id = 5, .start_time_ns = 1 }, o;
	size_t len = wire_put_hello(buf, sizeof(buf), 1, &h);
	buf[WIRE_HDR_LEN] = ROLE_REPORTER;   /* the reporter never says hello */
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	assert_int_equal(wire_get_hello(&m, &o), WIRE_EFIELD);
	h.instance_id = 0;                    /* instance ids are never 0 */
	len = wire_put_hello(buf, sizeof(buf), 1, &h);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	assert_int_equal(wire_get_hello(&m, &o), WIRE_EFIELD);

	/* device count disagreeing with the payload size, zero or over the maximum */
	struct wire_device d = { .kind = WIRE_KEY_MAC, .addr = { 1, 2, 3, 4, 5, 6 } };
	len = wire_put_devices(buf, sizeof(buf), 2, &d, 1);
	buf[WIRE_HDR_LEN + 3] = 2;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_ESIZE);
	buf[WIRE_HDR_LEN + 3] = 0;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);
	buf[WIRE_HDR_LEN] = 0xff;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);
	/* bad key kind, and junk in a MAC's padding */
	len = wire_put_devices(buf, sizeof(buf), 2, &d, 1);
	buf[WIRE_HDR_LEN + WIRE_DEVICES_HDR_LEN] = 9;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	struct wire_device od;
	assert_int_equal(wire_get_device(&m, 0, &od), WIRE_EFIELD);
	len = wire_put_devices(buf, sizeof(buf), 2, &d, 1);
	buf[WIRE_HDR_LEN + WIRE_DEVICES_HDR_LEN + 8 + 7] = 1;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	assert_int_equal(wire_get_device(&m, 0, &od), WIRE_EFIELD);
	/* table_used above capacity is a lie */
	struct wire_cap_stats s = { .table_used = 9, .table_capacity = 8 }, so;
	len = wire_put_cap_stats(buf, sizeof(buf), 2, &s);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	assert_int_equal(wire_get_cap_stats(&m, &so), WIRE_EFIELD);
}

static void test_role_permissions(void **state)
{
	(void)state;
	assert_true(wire_type_allowed(ROLE_CAPD, WIRE_CAP_DEVICES));
	assert_true(wire_type_allowed(ROLE_CAPD, WIRE_HEARTBEAT));
	assert_false(wire_type_allowed(ROLE_SYSD, WIRE_CAP_DEVICES));
	assert_false(wire_type_allowed(ROLE_ARPD, WIRE_CAP_STATS));
	assert_false(wire_type_allowed(ROLE_REPORTER, WIRE_HELLO));
	assert_false(wire_type_allowed(ROLE_CAPD, 200));
	for (int e = WIRE_EFIELD; e <= WIRE_OK; e++)
		assert_non_null(wire_strerror(e));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello_roundtrip),
		cmocka_unit_test(test_heartbeat_and_stats_roundtrip),
		cmocka_unit_test(test_devices_roundtrip_max),
		cmocka_unit_test(test_encoder_refuses_small_buffer),
		cmocka_unit_test(test_malformed_classes),
		cmocka_unit_test(test_malformed_fields),
		cmocka_unit_test(test_role_permissions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
