/*
 * sysd's record types (16-18): round trips through the encoders and
 * wire_parse, byte layout as docs/protocol.md gives it, and every field rule
 * refusing the record. Also sysd/report.c: a sample becomes these records.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cursor.h"
#include "netmon.h"
#include "sysd/report.h"
#include "wire.h"

static uint8_t buf[WIRE_MAX_LEN + 64];

static void test_metrics_roundtrip(void **state)
{
	(void)state;
	static struct wire_sys_metrics in, out;
	memset(&in, 0, sizeof(in));
	in.present = WIRE_SYS_HAVE_ALL;
	in.cpus_online = 2;
	in.cpu_centi = 4250;
	in.load_centi[0] = 52;
	in.load_centi[1] = 125;
	in.load_centi[2] = 200;
	in.mem_percent_centi = 3750;
	in.mem_total = 8192000000ULL;
	in.mem_used = 3584000000ULL;
	in.mem_available = 5120000000ULL;
	in.swap_total = 100;
	in.swap_used = 40;
	in.uptime_s = 12345;
	in.ncpu = 2;
	in.cpu[0] = (struct wire_sys_cpu){ 0, 10000 };
	in.cpu[1] = (struct wire_sys_cpu){ 1, 0 };
	size_t len = wire_put_sys_metrics(buf, sizeof(buf), 3, &in);
	assert_int_equal(len, WIRE_HDR_LEN + WIRE_SYS_METRICS_LEN + 8);
	/* layout: present at payload 0, mem_total at payload 28, ncpu at 76 */
	assert_int_equal(buf[1], WIRE_SYS_METRICS);
	assert_int_equal(buf[WIRE_HDR_LEN + 2], 0x01);   /* 0x1ff big-endian */
	assert_int_equal(buf[WIRE_HDR_LEN + 3], 0xff);
	assert_int_equal(buf[WIRE_HDR_LEN + 77], 2);
	struct wire_msg m;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	assert_int_equal(wire_get_sys_metrics(&m, &out), WIRE_OK);
	assert_true(out.mem_total == in.mem_total && out.mem_used == in.mem_used &&
		    out.uptime_s == 12345 && out.cpu_centi == 4250 && out.ncpu == 2 &&
		    out.cpu[0].centi == 10000 && out.cpu[1].cpu == 1 && out.load_centi[2] == 200);
	assert_true(wire_type_allowed(ROLE_SYSD, WIRE_SYS_METRICS));
	assert_false(wire_type_allowed(ROLE_CAPD, WIRE_SYS_METRICS));
	assert_false(wire_type_allowed(ROLE_ARPD, WIRE_SYS_IFACES));
	assert_string_equal(wire_type_name(WIRE_SYS_DISKS), "sys_disks");
}

static void patch_and_expect(size_t len, size_t off, uint8_t val, int want)
{
	static uint8_t copy[WIRE_MAX_LEN];
	struct wire_msg m;
	memcpy(copy, buf, len);
	copy[off] = val;
	assert_int_equal(wire_parse(copy, len, &m), want);
}

static void test_metrics_refused(void **state)
{
	(void)state;
	static struct wire_sys_metrics in;
	memset(&in, 0, sizeof(in));
	in.present = WIRE_SYS_HAVE_CPU | WIRE_SYS_HAVE_MEM_TOTAL | WIRE_SYS_HAVE_MEM_USED;
	in.mem_total = 1000;
	in.mem_used = 10;
	in.ncpu = 2;
	in.cpu[0] = (struct wire_sys_cpu){ 0, 1 };
	in.cpu[1] = (struct wire_sys_cpu){ 1, 2 };
	size_t len = wire_put_sys_metrics(buf, sizeof(buf), 3, &in);
	struct wire_msg m;
	const size_t P = WIRE_HDR_LEN;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	patch_and_expect(len, P + 0, 0x80, WIRE_EFIELD);           /* unknown present bit */
	patch_and_expect(len, P + 10, 0xff, WIRE_EFIELD);          /* cpu percent > 100 */
	patch_and_expect(len, P + 42, 0xff, WIRE_EFIELD);          /* used (36..43) > total */
	patch_and_expect(len, P + 78, 1, WIRE_EFIELD);             /* reserved */
	patch_and_expect(len, P + 77, 3, WIRE_ESIZE);              /* count != entries */
	patch_and_expect(len, P + 85, 0, WIRE_EFIELD);             /* CPU numbers not increasing */
	patch_and_expect(len, P + 82, 0x30, WIRE_EFIELD);          /* per-CPU > 100 % */
	/* a counter at 2^63 */
	patch_and_expect(len, P + 28, 0x80, WIRE_EFIELD);
	/* the payload cut short */
	assert_int_equal(wire_parse(buf, WIRE_HDR_LEN + 40, &m), WIRE_ELENGTH);
	in.ncpu = WIRE_SYS_CPU_MAX + 1;
	assert_int_equal(wire_put_sys_metrics(buf, sizeof(buf), 3, &in), 0);
}

static void test_disks_roundtrip_and_refusals(void **state)
{
	(void)state;
	static struct wire_sys_disk d[3], o;
	memset(d, 0, sizeof(d));
	const char *mounts[3] = { "/", "/mnt/my disk", "/srv/\xc3\xa9t\xc3\xa9" };
	for (int i = 0; i < 3; i++) {
		snprintf(d[i].mount, sizeof(d[i].mount), "%s", mounts[i]);
		snprintf(d[i].fstype, sizeof(d[i].fstype), "ext4");
		snprintf(d[i].device, sizeof(d[i].device), "/dev/vd%c", 'a' + i);
		d[i].total = 1000u * (unsigned)(i + 1);
		d[i].used = 400;
		d[i].free = 500;
		d[i].inodes_total = 10;
		d[i].inodes_used = 3;
		d[i].inodes_free = 7;
		d[i].percent_centi = 4444;
	}
	size_t len = wire_put_sys_disks(buf, sizeof(buf), 4, d, 3);
	assert_true(len > 0);
	struct wire_msg m;
	struct wire_iter it;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	assert_int_equal(wire_sys_disks_begin(&m, &it), 3);
	for (int i = 0; i < 3; i++) {
		assert_true(wire_sys_disk_next(&it, &o));
		assert_string_equal(o.mount, mounts[i]);
		assert_true(o.total == d[i].total && o.percent_centi == 4444);
	}
	assert_false(wire_sys_disk_next(&it, &o));
	/* the first string: u16 length 1, then '/' */
	assert_int_equal(buf[WIRE_HDR_LEN + 4], 0);
	assert_int_equal(buf[WIRE_HDR_LEN + 5], 1);
	assert_int_equal(buf[WIRE_HDR_LEN + 6], '/');
	/* a mount point that is not absolute, a control byte, bytes after the last entry */
	patch_and_expect(len, WIRE_HDR_LEN + 6, 'x', WIRE_EFIELD);
	patch_and_expect(len, WIRE_HDR_LEN + 6, 0x01, WIRE_EFIELD);
	patch_and_expect(len, WIRE_HDR_LEN + 1, 2, WIRE_ESIZE);    /* count 2: bytes left over */
	patch_and_expect(len, WIRE_HDR_LEN + 1, 4, WIRE_EFIELD);   /* count 4: one missing */
	/* used > total */
	d[0].used = 5000;
	len = wire_put_sys_disks(buf, sizeof(buf), 4, d, 1);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_EFIELD);
	/* the encoder refuses what the decoder would refuse: a non-UTF-8 name */
	d[0].used = 1;
	snprintf(d[0].mount, sizeof(d[0].mount), "/bad\xff");
	assert_int_equal(wire_put_sys_disks(buf, sizeof(buf), 4, d, 1), 0);
	/* an empty list is a valid record */
	len = wire_put_sys_disks(buf, sizeof(buf), 4, d, 0);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
}

static void test_ifaces_roundtrip_and_refusals(void **state)
{
	(void)state;
	static struct wire_sys_iface f[2], o;
	memset(f, 0, sizeof(f));
	snprintf(f[0].name, sizeof(f[0].name), "eth0");
	f[0].ifindex = 2;
	f[0].mtu = 1500;
	f[0].speed_mbps = 1000;
	f[0].operstate = 6;
	f[0].flags = WIRE_IF_HAVE_STATS | WIRE_IF_HAVE_MTU | WIRE_IF_HAVE_OPER;
	f[0].mac_len = 6;
	memcpy(f[0].mac, "\x02\x00\x00\x00\x00\x01", 6);
	f[0].rx_bytes = 123456789;
	f[0].tx_bytes = 987654321;
	f[0].rx_rate_bps = 8000;
	f[0].resets = 1;
	snprintf(f[1].name, sizeof(f[1].name), "lo");
	f[1].ifindex = 1;
	size_t len = wire_put_sys_ifaces(buf, sizeof(buf), 5, f, 2);
	assert_int_equal(len, WIRE_HDR_LEN + 4 + (2 + 4 + 16 + 6 + 88) + (2 + 2 + 16 + 0 + 88));
	struct wire_msg m;
	struct wire_iter it;
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	assert_int_equal(wire_sys_ifaces_begin(&m, &it), 2);
	assert_true(wire_sys_iface_next(&it, &o));
	assert_string_equal(o.name, "eth0");
	assert_true(o.rx_bytes == 123456789 && o.tx_bytes == 987654321 && o.speed_mbps == 1000 &&
		    o.mac_len == 6 && o.mac[5] == 1 && o.rx_rate_bps == 8000 && o.resets == 1);
	assert_true(wire_sys_iface_next(&it, &o));
	assert_string_equal(o.name, "lo");
	/* name "eth0" at payload 4..9; ifindex 10..13; mtu 14..17; speed 18..21;
	 * operstate 22, flags 23, mac_len 24, reserved 25 */
	const size_t P = WIRE_HDR_LEN;
	assert_int_equal(buf[P + 5], 4);
	assert_int_equal(buf[P + 22], 6);
	patch_and_expect(len, P + 22, 7, WIRE_EFIELD);      /* operstate */
	patch_and_expect(len, P + 23, 0x80, WIRE_EFIELD);   /* unknown flag */
	patch_and_expect(len, P + 24, 33, WIRE_EFIELD);     /* mac_len > 32 */
	patch_and_expect(len, P + 25, 1, WIRE_EFIELD);      /* reserved */
	patch_and_expect(len, P + 5, 0, WIRE_EFIELD);       /* empty name */
	patch_and_expect(len, P + 32, 0x80, WIRE_EFIELD);   /* rx_bytes >= 2^63 */
	patch_and_expect(len, P + 6, 0xc0, WIRE_EFIELD);    /* overlong UTF-8 in the name */
}

/* sysd/report.c: a hand-made sample becomes exactly these records. */
static void test_report_from_sample(void **state)
{
	(void)state;
	struct sysd_sampler *s = calloc(1, sizeof(*s));
	struct sysd_report *r = calloc(1, sizeof(*r));
	static struct mount_entry me = { .path = "/", .fstype = "ext4", .device = "/dev/vda" };
	assert_non_null(s);
	assert_non_null(r);
	s->have_cpu = true;
	s->cpu_percent = 42.004;
	s->ncpu = 3;
	s->per_cpu[0] = 10;
	s->per_cpu[1] = -1;       /* no value for CPU 1: left out */
	s->per_cpu[2] = 100;
	s->have_mem = true;
	s->mem = (struct mem_info){ .total = 1000, .available = 600, .used = 300, .percent = 40,
				    .have_total = true, .have_available = true, .have_used = true,
				    .have_percent = true };
	s->have_uptime = true;
	s->uptime_s = 77;
	s->ndisks = 1;
	s->disks[0].mount = &me;
	s->disks[0].usage = (struct fs_usage){ .total = 100, .used = 30, .free = 60, .percent = 33.33 };
	s->have_netifs = true;
	s->netifs.n = 2;
	s->netifs.ifs[0].named = true;
	snprintf(s->netifs.ifs[0].link.name, NETIF_NAME_MAX, "eth0");
	s->netifs.ifs[0].link.counter[NIC_RX_BYTES] = 5;
	s->netifs.ifs[0].rate_bps[0] = 1234.6;
	s->netifs.ifs[1].named = false;   /* a name that was not UTF-8: not sent */

	struct wire_msg m;
	static struct wire_sys_metrics met;
	size_t len = sysd_report_encode(r, s, WIRE_SYS_METRICS, 7);
	assert_int_equal(wire_parse(r->buf, len, &m), WIRE_OK);
	assert_int_equal(wire_get_sys_metrics(&m, &met), WIRE_OK);
	assert_int_equal(met.cpu_centi, 4200);
	assert_int_equal(met.ncpu, 2);
	assert_int_equal(met.cpu[1].cpu, 2);
	assert_true(met.present & WIRE_SYS_HAVE_MEM_AVAIL);
	assert_false(met.present & WIRE_SYS_HAVE_LOAD);      /* not read: not sent */
	assert_true(met.mem_available == 600 && met.uptime_s == 77);

	struct wire_iter it;
	static struct wire_sys_disk d;
	len = sysd_report_encode(r, s, WIRE_SYS_DISKS, 8);
	assert_int_equal(wire_parse(r->buf, len, &m), WIRE_OK);
	assert_int_equal(wire_sys_disks_begin(&m, &it), 1);
	assert_true(wire_sys_disk_next(&it, &d));
	assert_int_equal(d.percent_centi, 3333);

	struct wire_sys_iface f;
	len = sysd_report_encode(r, s, WIRE_SYS_IFACES, 9);
	assert_int_equal(wire_parse(r->buf, len, &m), WIRE_OK);
	assert_int_equal(wire_sys_ifaces_begin(&m, &it), 1);
	assert_true(wire_sys_iface_next(&it, &f));
	assert_true(f.rx_rate_bps == 1235 && f.rx_bytes == 5);
	free(s);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metrics_roundtrip),
		cmocka_unit_test(test_metrics_refused),
		cmocka_unit_test(test_disks_roundtrip_and_refusals),
		cmocka_unit_test(test_ifaces_roundtrip_and_refusals),
		cmocka_unit_test(test_report_from_sample),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
