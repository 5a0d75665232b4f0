/* The reporter's copy of arpd's table: only whole generations replace it;
 * lookups by address. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "reporter/arpview.h"
#include "wire.h"

static uint8_t buf[WIRE_MAX_LEN];

static struct wire_arp_device dev(uint8_t k, uint8_t ip_last)
{
	struct wire_arp_device d;
	memset(&d, 0, sizeof(d));
	d.mac[0] = 0x02; d.mac[5] = k;
	d.flags = WIRE_ARP_ACTIVE;
	d.n4 = 1;
	d.ipv4[0][0] = 198; d.ipv4[0][1] = 18; d.ipv4[0][3] = ip_last;
	d.n6 = 1;
	d.ipv6[0][0] = 0x20; d.ipv6[0][15] = k;
	d.first_seen_ms = d.last_seen_ms = 1000u + k;
	return d;
}

static void feed(struct arpview *v, uint64_t gen, uint16_t part, uint16_t parts,
		 const struct wire_arp_device *d, uint16_t n)
{
	struct wire_arp_devices_hdr h = { .generation = gen, .part = part, .parts = parts, .count = n };
	size_t len = wire_put_arp_devices(buf, sizeof(buf), 2, &h, d);
	struct wire_msg m;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	arpview_record(v, &m);
}

static void test_generations(void **state)
{
	(void)state;
	struct arpview v;
	arpview_init(&v);
	struct wire_arp_device a[2] = { dev(1, 10), dev(2, 20) }, b[1] = { dev(3, 30) };
	uint8_t ip10[4] = { 198, 18, 0, 10 }, ip30[4] = { 198, 18, 0, 30 };
	uint8_t v6_3[16] = { 0x20, [15] = 3 };
	/* generation 1 in two parts: visible only after the last */
	feed(&v, 1, 0, 2, a, 2);
	assert_false(v.have_table);
	assert_int_equal(arpview_find(&v, 4, ip10), -1);
	feed(&v, 1, 1, 2, b, 1);
	assert_true(v.have_table);
	assert_int_equal(v.cur.n, 3);
	assert_int_equal(arpview_find(&v, 4, ip10), 0);
	assert_int_equal(arpview_find(&v, 4, ip30), 2);
	assert_int_equal(arpview_find(&v, 6, v6_3), 2);
	/* generation 2 loses its part 0: the table stays generation 1's */
	feed(&v, 2, 1, 2, b, 1);
	assert_int_equal(v.cur.n, 3);
	assert_int_equal(v.generations_dropped, 0 + 0);
	/* generation 3 whole, one device: devices arpd forgot are gone */
	feed(&v, 3, 0, 1, b, 1);
	assert_int_equal(v.cur.n, 1);
	assert_int_equal(arpview_find(&v, 4, ip10), -1);
	assert_int_equal(arpview_find(&v, 4, ip30), 0);
	/* parts of two generations interleaved (a restarted arpd): neither counts */
	feed(&v, 4, 0, 2, a, 2);
	feed(&v, 1, 1, 2, b, 1);
	assert_int_equal(v.cur.n, 1);
	assert_true(v.generations_dropped >= 1);
	/* an empty table */
	feed(&v, 5, 0, 1, a, 0);
	assert_int_equal(v.cur.n, 0);
	assert_int_equal(arpview_find(&v, 4, ip30), -1);
	/* two devices claiming one address: the most recently seen wins */
	struct wire_arp_device c[2] = { dev(1, 10), dev(2, 10) };
	c[1].last_seen_ms = 5000;
	feed(&v, 6, 0, 1, c, 2);
	assert_int_equal(arpview_find(&v, 4, ip10), 1);
	arpview_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
