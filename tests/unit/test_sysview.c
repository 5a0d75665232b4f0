/*
 * reporter/sysview.c: sysd's records become the snapshot's metrics and
 * network.interfaces; values sysd did not send are absent; data older than
 * the limit is not shown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "reporter/sysview.h"
#include "wire.h"

static uint8_t buf[WIRE_MAX_LEN];
#define SEC 1000000000ULL

static void feed(struct sysview *v, size_t len, uint64_t now)
{
	struct wire_msg m;
	assert_true(len > 0);
	assert_int_equal(wire_parse(buf, len, &m), WIRE_OK);
	sysview_record(v, &m, now);
}

static void test_metrics_and_staleness(void **state)
{
	(void)state;
	struct sysview v;
	static struct wire_sys_metrics s;
	memset(&v, 0, sizeof(v));
	memset(&s, 0, sizeof(s));

	/* nothing received yet: empty cpu/memory/disk, no uptime */
	json_t *j = sysview_metrics_json(&v, 10 * SEC, 3 * SEC);
	assert_int_equal(json_object_size(json_object_get(j, "cpu")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "disk")), 0);
	assert_null(json_object_get(j, "uptimeSeconds"));
	json_decref(j);

	s.present = WIRE_SYS_HAVE_CPU | WIRE_SYS_HAVE_MEM_TOTAL | WIRE_SYS_HAVE_UPTIME;
	s.cpu_centi = 4250;
	s.mem_total = 1000;
	s.uptime_s = 99;
	s.ncpu = 1;
	s.cpu[0] = (struct wire_sys_cpu){ 3, 10000 };
	feed(&v, wire_put_sys_metrics(buf, sizeof(buf), 2, &s), 10 * SEC);
	j = sysview_metrics_json(&v, 11 * SEC, 3 * SEC);
	json_t *cpu = json_object_get(j, "cpu");
	assert_true(json_real_value(json_object_get(cpu, "percent")) == 42.5);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(cpu, "perCpu"), 0), "cpu")), 3);
	assert_null(json_object_get(cpu, "loadAverage"));          /* not sent: absent */
	json_t *mem = json_object_get(j, "memory");
	assert_int_equal(json_integer_value(json_object_get(mem, "totalBytes")), 1000);
	assert_null(json_object_get(mem, "freeBytes"));
	assert_int_equal(json_integer_value(json_object_get(j, "uptimeSeconds")), 99);
	json_decref(j);

	/* 4 s later with a 3 s limit: gone */
	j = sysview_metrics_json(&v, 14 * SEC, 3 * SEC);
	assert_int_equal(json_object_size(json_object_get(j, "cpu")), 0);
	assert_null(json_object_get(j, "uptimeSeconds"));
	json_decref(j);
	sysview_free(&v);
}

static void test_disks_and_interfaces(void **state)
{
	(void)state;
	struct sysview v;
	static struct wire_sys_disk d;
	struct wire_sys_iface f[2];
	memset(&v, 0, sizeof(v));
	memset(&d, 0, sizeof(d));
	memset(f, 0, sizeof(f));
	snprintf(d.mount, sizeof(d.mount), "/");
	snprintf(d.fstype, sizeof(d.fstype), "ext4");
	d.total = 100;
	d.used = 30;
	d.free = 60;
	d.percent_centi = 3333;
	feed(&v, wire_put_sys_disks(buf, sizeof(buf), 3, &d, 1), SEC);
	snprintf(f[0].name, sizeof(f[0].name), "eth0");
	f[0].speed_mbps = 100;
	f[0].flags = WIRE_IF_HAVE_STATS | WIRE_IF_HAVE_OPER;
	f[0].operstate = 6;
	f[0].mac_len = 6;
	f[0].mac[5] = 0xab;
	f[0].rx_bytes = 5000;
	f[0].rx_rate_bps = 5000000;    /* 5 % of 100 Mbit/s */
	f[0].tx_rate_bps = 1000000;
	snprintf(f[1].name, sizeof(f[1].name), "lo");
	feed(&v, wire_put_sys_ifaces(buf, sizeof(buf), 4, f, 2), SEC);

	json_t *j = sysview_metrics_json(&v, 2 * SEC, 3 * SEC);
	json_t *disk = json_array_get(json_object_get(j, "disk"), 0);
	assert_string_equal(json_string_value(json_object_get(disk, "mount")), "/");
	assert_true(json_real_value(json_object_get(disk, "percentUsed")) == 33.33);
	json_decref(j);

	j = sysview_interfaces_json(&v, 2 * SEC, 3 * SEC);
	assert_int_equal(json_array_size(j), 2);
	json_t *e = json_array_get(j, 0);
	assert_string_equal(json_string_value(json_object_get(e, "interfaceName")), "eth0");
	assert_true(json_real_value(json_object_get(e, "utilizationPercent")) == 5.0);
	assert_string_equal(json_string_value(json_object_get(e, "operState")), "up");
	assert_string_equal(json_string_value(json_object_get(e, "mac")), "00:00:00:00:00:ab");
	assert_int_equal(json_integer_value(json_object_get(e, "rxBytesTotal")), 5000);
	json_t *lo = json_array_get(j, 1);
	assert_null(json_object_get(lo, "rxPackets"));     /* no counters flag: absent */
	assert_null(json_object_get(lo, "operState"));
	json_decref(j);

	assert_true(sysview_link_speed(&v, "eth0", 2 * SEC, 3 * SEC) == 100);
	assert_true(sysview_link_speed(&v, "eth9", 2 * SEC, 3 * SEC) == 0);
	assert_true(sysview_link_speed(&v, "eth0", 9 * SEC, 3 * SEC) == 0);   /* stale */
	j = sysview_interfaces_json(&v, 9 * SEC, 3 * SEC);
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	sysview_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metrics_and_staleness),
		cmocka_unit_test(test_disks_and_interfaces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
