/* Wire protocol: every record type round-trips, every malformed class is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "netmon.h"
#include "cursor.h"
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
		d[i].rx_bytes = WIRE_COUNTER_MAX - i;
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
				.instance_id = 5, .start_time_ns = 1 };
	size_t len = wire_put_hello(buf, sizeof(buf), 1, &h);
	buf[WIRE_HDR_LEN] = ROLE_REPORTER;   /* the reporter never says hello */
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);
	h.instance_id = 0;                    /* instance ids are never 0 */
	len = wire_put_hello(buf, sizeof(buf), 1, &h);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);

	/* device count disagreeing with the payload size, zero or over the maximum */
	struct wire_device d = { .kind = WIRE_KEY_MAC, .addr = { 1, 2, 3, 4, 5, 6 } };
	len = wire_put_devices(buf, sizeof(buf), 2, &d, 1);
	buf[WIRE_HDR_LEN + 3] = 2;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_ESIZE);
	buf[WIRE_HDR_LEN + 3] = 0;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);
	buf[WIRE_HDR_LEN] = 0xff;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);
	/* bad key kind, and junk in a MAC's padding: the whole record is refused */
	len = wire_put_devices(buf, sizeof(buf), 2, &d, 1);
	buf[WIRE_HDR_LEN + WIRE_DEVICES_HDR_LEN] = 9;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);
	len = wire_put_devices(buf, sizeof(buf), 2, &d, 1);
	buf[WIRE_HDR_LEN + WIRE_DEVICES_HDR_LEN + 8 + 7] = 1;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);
	/* table_used above capacity is a lie */
	struct wire_cap_stats s = { .table_used = 9, .table_capacity = 8 };
	len = wire_put_cap_stats(buf, sizeof(buf), 2, &s);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);
}

/* Counters at or above 2^63 would turn negative in the JSON: refused at
 * decode time, every counter field of every type. */
static void test_counter_limit(void **state)
{
	(void)state;
	struct wire_msg m;
	struct wire_device d[2] = { { .kind = WIRE_KEY_MAC, .addr = { 2 } },
				    { .kind = WIRE_KEY_IPV4, .addr = { 198, 18, 0, 1 } } };
	uint64_t *dev_fields[] = { &d[1].rx_bytes, &d[1].tx_bytes, &d[1].rx_packets,
				   &d[1].tx_packets };
	for (size_t f = 0; f < 4; f++) {
		*dev_fields[f] = WIRE_COUNTER_MAX;
		size_t len = wire_put_devices(buf, sizeof(buf), 2, d, 2);
		assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
		*dev_fields[f] = WIRE_COUNTER_MAX + 1;
		len = wire_put_devices(buf, sizeof(buf), 2, d, 2);
		assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);
		*dev_fields[f] = 0;
	}
	struct wire_cap_stats s = { 0 };
	uint64_t *st_fields[] = { &s.packets, &s.bytes, &s.ps_recv, &s.ps_drop, &s.ps_ifdrop,
				  &s.evictions };
	for (size_t f = 0; f < 6; f++) {
		*st_fields[f] = UINT64_MAX;
		size_t len = wire_put_cap_stats(buf, sizeof(buf), 2, &s);
		assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);
		*st_fields[f] = 0;
	}
}

static void test_strings(void **state)
{
	(void)state;
	uint8_t b[WIRE_STR_MAX + 16];
	char out[WIRE_STR_MAX + 1];
	struct wcursor w;
	struct cursor c;

	/* round trip, UTF-8 included, and the exact size */
	wcur_init(&w, b, sizeof(b));
	wire_put_str(&w, "eth0");
	wire_put_str(&w, "caf\xc3\xa9");
	wire_put_str(&w, "");
	assert_true(w.ok);
	assert_int_equal(w.p - b, wire_str_size("eth0") + wire_str_size("caf\xc3\xa9") + 2);
	cur_init(&c, b, (size_t)(w.p - b));
	assert_true(wire_get_str(&c, out, sizeof(out)) && strcmp(out, "eth0") == 0);
	assert_true(wire_get_str(&c, out, sizeof(out)) && strcmp(out, "caf\xc3\xa9") == 0);
	assert_true(wire_get_str(&c, out, sizeof(out)) && out[0] == '\0');
	assert_int_equal(c.left, 0);
	assert_false(wire_get_str(&c, out, sizeof(out)));      /* nothing left */

	/* the encoder refuses what the decoder would refuse */
	const char *bad[] = { "a\nb", "\x1b[2J", "\xff", "\xc3", "\xed\xa0\x80", "x\x7f" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wcur_init(&w, b, sizeof(b));
		wire_put_str(&w, bad[i]);
		assert_false(w.ok);
		/* and the decoder refuses it when a peer sends it anyway */
		size_t n = strlen(bad[i]);
		b[0] = 0;
		b[1] = (uint8_t)n;
		memcpy(b + 2, bad[i], n);
		cur_init(&c, b, n + 2);
		assert_false(wire_get_str(&c, out, sizeof(out)));
	}
	/* an embedded NUL, a length past the end, a string too long for out or the wire */
	memcpy(b, "\0\3a\0b", 5);
	cur_init(&c, b, 5);
	assert_false(wire_get_str(&c, out, sizeof(out)));
	memcpy(b, "\0\5abc", 5);
	cur_init(&c, b, 5);
	assert_false(wire_get_str(&c, out, sizeof(out)));
	memcpy(b, "\0\3abc", 5);
	cur_init(&c, b, 5);
	assert_false(wire_get_str(&c, out, 3));
	cur_init(&c, b, 5);
	assert_true(wire_get_str(&c, out, 4));
	memset(b + 2, 'a', WIRE_STR_MAX + 1);
	b[0] = (uint8_t)((WIRE_STR_MAX + 1) >> 8);
	b[1] = (uint8_t)(WIRE_STR_MAX + 1);
	cur_init(&c, b, WIRE_STR_MAX + 3);
	assert_false(wire_get_str(&c, out, sizeof(out)));
	char big[WIRE_STR_MAX + 2];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	wcur_init(&w, b, sizeof(b));
	wire_put_str(&w, big);
	assert_false(w.ok);
}

/* The table is the only description of the types: every row is reachable,
 * names are unique, and a type's size bounds are sane. */
static void test_type_table(void **state)
{
	(void)state;
	int rows = 0;
	for (int t = 0; t < 256; t++) {
		const struct wire_type_info *i = wire_type_info((uint8_t)t);
		if (!i)
			continue;
		rows++;
		assert_int_equal(i->type, t);
		assert_true(i->min_len <= i->max_len && i->max_len <= WIRE_MAX_LEN - WIRE_HDR_LEN);
		assert_true(i->roles != 0 && !(i->roles & (1u << ROLE_REPORTER)));
		assert_string_equal(wire_type_name((uint8_t)t), i->name);
		for (int u = 0; u < t; u++)
			assert_true(!wire_type_info((uint8_t)u) ||
				    strcmp(wire_type_info((uint8_t)u)->name, i->name) != 0);
	}
	assert_true(rows >= 4);
	assert_null(wire_type_info(0));
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
		cmocka_unit_test(test_counter_limit),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_type_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
