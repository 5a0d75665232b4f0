/*
 * sysd's parsers on fixture trees (tests/sysd/fixtures/) and on malformed
 * input: truncated lines, huge numbers, missing fields, non-UTF-8 names.
 * A bad field is left out with a log line naming it, never a wrong number.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "ifstat.h"
#include "sysd/cpu.h"
#include "sysd/dump.h"
#include "sysd/mem.h"
#include "sysd/mounts.h"
#include "sysd/netif.h"
#include "sysd/pfile.h"
#include "sysd/sample.h"
#include "sysd/scan.h"
#include "sysd/uptime.h"

#define FIX "tests/sysd/fixtures/basic"

/* ---- stderr capture: the log lines a parser writes ---------------------- */

static FILE *cap_file;
static int cap_saved = -1;

static void cap_start(void)
{
	fflush(stderr);
	cap_file = tmpfile();
	assert_non_null(cap_file);
	cap_saved = dup(2);
	dup2(fileno(cap_file), 2);
}

/* The captured text (static buffer). */
static const char *cap_end(void)
{
	static char buf[8192];
	fflush(stderr);
	dup2(cap_saved, 2);
	close(cap_saved);
	rewind(cap_file);
	size_t n = fread(buf, 1, sizeof(buf) - 1, cap_file);
	buf[n] = '\0';
	fclose(cap_file);
	return buf;
}

#define S(str) (const uint8_t *)(str), strlen(str)

/* ---- scan ---------------------------------------------------------------- */

static void test_scan_numbers(void **state)
{
	(void)state;
	struct cursor c;
	uint64_t v;
	double d;

	cur_init(&c, S(" 18446744073709551615 x"));
	assert_true(scan_u64(&c, &v));
	assert_true(v == UINT64_MAX);
	cur_init(&c, S("18446744073709551616"));        /* 2^64: refused, not wrapped */
	assert_false(scan_u64(&c, &v));
	cur_init(&c, S("99999999999999999999999"));
	assert_false(scan_u64(&c, &v));
	cur_init(&c, S("12ab"));                        /* a number ends at a blank */
	assert_false(scan_u64(&c, &v));
	cur_init(&c, S("-1"));
	assert_false(scan_u64(&c, &v));
	cur_init(&c, S(""));
	assert_false(scan_u64(&c, &v));
	cur_init(&c, S("0.52 "));
	assert_true(scan_decimal(&c, &d));
	assert_true(fabs(d - 0.52) < 1e-9);
	cur_init(&c, S("1."));
	assert_false(scan_decimal(&c, &d));

	struct cursor line;
	cur_init(&c, S("a\nb"));                        /* "b" lacks its newline: cut */
	assert_true(scan_line(&c, &line));
	assert_int_equal(line.left, 1);
	assert_false(scan_line(&c, &line));
}

/* ---- CPU ----------------------------------------------------------------- */

static void test_cpu_stat_fixture(void **state)
{
	(void)state;
	struct pfile f;
	static struct cpu_stat st;
	assert_int_equal(pfile_open(&f, FIX "/proc", "stat", 64), 0);   /* grows from 64 bytes */
	assert_int_equal(pfile_read(&f), 0);
	assert_int_equal(cpu_parse_stat(f.buf, f.len, &st), 0);
	pfile_close(&f);
	/* guest (30) is inside user already: not added to total */
	assert_true(st.all.total == 9660);
	assert_true(st.all.idle == 8100);
	assert_int_equal(st.ncpu, 2);
	assert_true(st.cpu[0].total == 4830 && st.cpu[0].idle == 3950);
	assert_true(st.btime == 1764500000);
}

static void test_cpu_percent(void **state)
{
	(void)state;
	static struct cpu_stat a, b;
	assert_int_equal(cpu_parse_stat(S("cpu  100 0 100 800 0 0 0 0 0 0\n"), &a), 0);
	assert_int_equal(cpu_parse_stat(S("cpu  150 0 100 850 0 0 0 0 0 0\n"), &b), 0);
	assert_true(fabs(cpu_busy_percent(&a.all, &b.all) - 50.0) < 1e-9);
	/* iowait is idle time (psutil) */
	assert_int_equal(cpu_parse_stat(S("cpu  150 0 100 800 50 0 0 0 0 0\n"), &b), 0);
	assert_true(fabs(cpu_busy_percent(&a.all, &b.all) - 50.0) < 1e-9);
	/* counters that went backwards (hotplug): no value, not a wrong one */
	assert_int_equal(cpu_parse_stat(S("cpu  50 0 100 800 0 0 0 0 0 0\n"), &b), 0);
	assert_true(cpu_busy_percent(&a.all, &b.all) < 0);
	/* no time passed */
	assert_true(cpu_busy_percent(&a.all, &a.all) == 0.0);
}

static void test_cpu_stat_malformed(void **state)
{
	(void)state;
	static struct cpu_stat st;
	const char *log;

	cap_start();
	assert_int_equal(cpu_parse_stat(S("cpu  1 2 3\n"), &st), -1);       /* 3 fields */
	log = cap_end();
	assert_non_null(strstr(log, "stat: malformed cpu line"));

	cap_start();
	assert_int_equal(cpu_parse_stat(S("cpu  1 2 3 4 5 6 7 8 9 10\ncpu0 1 2 3 99999999999999999999999 0\n"), &st), 0);
	log = cap_end();
	assert_false(st.cpu[0].valid);                     /* huge number: cpu0 left out */
	assert_non_null(strstr(log, "cpu0"));

	cap_start();
	assert_int_equal(cpu_parse_stat(S("cpu  1 2 3 4 5"), &st), -1);     /* truncated line */
	log = cap_end();
	assert_non_null(strstr(log, "no valid 'cpu' line"));

	cap_start();
	assert_int_equal(cpu_parse_stat(S("cpu  1 2 3 4\ncpu99999 1 2 3 4\n"), &st), 0);
	cap_end();
	assert_int_equal(st.ncpu, 0);

	/* sums that would overflow 64 bits */
	cap_start();
	assert_int_equal(cpu_parse_stat(S("cpu  18446744073709551615 1 1 1\n"), &st), -1);
	cap_end();
}

static void test_loadavg_online(void **state)
{
	(void)state;
	struct loadavg la;
	unsigned n;
	assert_int_equal(cpu_parse_loadavg(S("0.52 1.25 2.00 2/95 13550\n"), &la), 0);
	assert_true(fabs(la.load1 - 0.52) < 1e-9 && fabs(la.load15 - 2.0) < 1e-9);
	cap_start();
	assert_int_equal(cpu_parse_loadavg(S("0.52 1.25\n"), &la), -1);
	assert_non_null(strstr(cap_end(), "loadavg: malformed"));
	assert_false(la.valid);

	assert_int_equal(cpu_parse_online(S("0-1\n"), &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cpu_parse_online(S("0-3,5,7-8\n"), &n), 0);
	assert_int_equal(n, 7);
	assert_int_equal(cpu_parse_online(S("0\n"), &n), 0);
	assert_int_equal(n, 1);
	cap_start();
	assert_int_equal(cpu_parse_online(S("3-1\n"), &n), -1);
	assert_int_equal(cpu_parse_online(S("0-1,\n"), &n), -1);
	assert_int_equal(cpu_parse_online(S("0-\n"), &n), -1);
	assert_int_equal(cpu_parse_online(S("0-1"), &n), -1);             /* truncated */
	assert_int_equal(cpu_parse_online(S("0-99999999999999999999\n"), &n), -1);
	assert_non_null(strstr(cap_end(), "cpu/online: malformed"));
}

/* ---- memory -------------------------------------------------------------- */

static void test_meminfo_fixture(void **state)
{
	(void)state;
	struct pfile f;
	struct mem_info m;
	assert_int_equal(pfile_open(&f, FIX "/proc", "meminfo", 0), 0);
	assert_int_equal(pfile_read(&f), 0);
	assert_int_equal(mem_parse(f.buf, f.len, &m), 0);
	pfile_close(&f);
	assert_true(m.have_total && m.total == 8000000ULL * 1024);
	assert_true(m.have_available && m.available == 5000000ULL * 1024);
	/* total - MemFree - Buffers - (Cached + SReclaimable) */
	assert_true(m.have_used && m.used == 3500000ULL * 1024);
	assert_true(m.have_percent && fabs(m.percent - 37.5) < 1e-9);
	assert_true(m.have_swap && m.swap_total == 2000000ULL * 1024 &&
		    m.swap_used == 500000ULL * 1024);
}

static void test_meminfo_malformed(void **state)
{
	(void)state;
	struct mem_info m;
	const char *log;

	/* MemAvailable missing: free and percent left out, the rest stays */
	cap_start();
	assert_int_equal(mem_parse(S("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 0 kB\n"
				     "Cached: 0 kB\nSReclaimable: 0 kB\n"), &m), 0);
	log = cap_end();
	assert_non_null(strstr(log, "MemAvailable"));
	assert_false(m.have_available);
	assert_false(m.have_percent);
	assert_true(m.have_used && m.used == 900 * 1024);

	/* a number that does not fit once multiplied by 1024 */
	cap_start();
	assert_int_equal(mem_parse(S("MemTotal: 18446744073709551615 kB\nMemAvailable: 1 kB\n"), &m), -1);
	log = cap_end();
	assert_non_null(strstr(log, "MemTotal: malformed value"));
	assert_false(m.have_total);

	/* truncated line (no unit, no newline) */
	cap_start();
	assert_int_equal(mem_parse(S("MemTotal: 1000 kB\nMemAvailable: 50"), &m), 0);
	cap_end();
	assert_false(m.have_available);

	/* used would be negative: psutil falls back to total - free */
	cap_start();
	assert_int_equal(mem_parse(S("MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 500 kB\n"
				     "Buffers: 500 kB\nCached: 500 kB\nSReclaimable: 0 kB\n"), &m), 0);
	cap_end();
	assert_true(m.used == 900 * 1024);

	/* available above total is not believed */
	cap_start();
	assert_int_equal(mem_parse(S("MemTotal: 10 kB\nMemAvailable: 50 kB\n"), &m), 0);
	cap_end();
	assert_false(m.have_available);
}

/* ---- uptime -------------------------------------------------------------- */

static void test_uptime(void **state)
{
	(void)state;
	uint64_t s = 0;
	struct pfile f;
	assert_int_equal(pfile_open(&f, FIX "/proc", "uptime", 0), 0);
	assert_int_equal(pfile_read(&f), 0);
	assert_int_equal(uptime_parse(f.buf, f.len, &s), 0);
	pfile_close(&f);
	assert_true(s == 12345);
	cap_start();
	assert_int_equal(uptime_parse(S("12345.67"), &s), -1);
	assert_int_equal(uptime_parse(S("abc 1\n"), &s), -1);
	assert_int_equal(uptime_parse(S("99999999999999999999999.0 1.0\n"), &s), -1);
	assert_non_null(strstr(cap_end(), "uptime: malformed"));
}

/* ---- mounts -------------------------------------------------------------- */

static void load_types(struct fstypes *t)
{
	struct pfile f;
	assert_int_equal(pfile_open(&f, FIX "/proc", "filesystems", 0), 0);
	assert_int_equal(pfile_read(&f), 0);
	assert_int_equal(mounts_parse_filesystems(f.buf, f.len, t), 0);
	pfile_close(&f);
}

static void test_mounts_fixture(void **state)
{
	(void)state;
	struct fstypes t;
	static struct mount_list ml;
	struct pfile f;

	load_types(&t);
	assert_int_equal(t.n, 3);   /* ext4 xfs vfat; nodev ones are not disks */
	assert_int_equal(pfile_open(&f, FIX "/proc", "self/mountinfo", 0), 0);
	assert_int_equal(pfile_read(&f), 0);
	assert_int_equal(mounts_parse_mountinfo(f.buf, f.len, &t, &ml), 0);
	pfile_close(&f);
	/* proc, devtmpfs: pseudo; /run/netns: bind of 254:0; nfs4: network */
	assert_int_equal(ml.n, 3);
	assert_string_equal(ml.m[0].path, "/");
	assert_string_equal(ml.m[0].device, "/dev/vda");
	assert_string_equal(ml.m[1].path, "/boot/efi");
	assert_string_equal(ml.m[2].path, "/mnt/my disk");       /* \040 unescaped */
	assert_string_equal(ml.m[2].fstype, "xfs");
}

static void test_mounts_rules(void **state)
{
	(void)state;
	struct fstypes t = { .n = 0 };
	static struct mount_list ml;
	const char *log;

	assert_int_equal(mounts_parse_filesystems(S("\text4\n\tnfs\n"), &t), 0);
	/* the bind mount comes first: the device's root mount replaces it */
	assert_int_equal(mounts_parse_mountinfo(S(
		"1 0 8:1 /sub /srv rw - ext4 /dev/sda1 rw\n"
		"2 0 8:1 / /data rw - ext4 /dev/sda1 rw\n"
		"3 0 0:9 / /net rw - nfs h:/x rw\n"), &t, &ml), 0);
	assert_int_equal(ml.n, 1);
	assert_string_equal(ml.m[0].path, "/data");

	/* a later mount on the same path hides the earlier one */
	assert_int_equal(mounts_parse_mountinfo(S(
		"1 0 8:1 / /data rw - ext4 /dev/sda1 rw\n"
		"2 0 8:2 / /data rw - ext4 /dev/sda2 rw\n"), &t, &ml), 0);
	assert_int_equal(ml.n, 1);
	assert_string_equal(ml.m[0].device, "/dev/sda2");

	/* malformed lines, non-UTF-8 mount points, truncated last line */
	cap_start();
	assert_int_equal(mounts_parse_mountinfo(S(
		"1 0 8:1 / /ok rw - ext4 /dev/sda1 rw\n"
		"x y z\n"
		"2 0 8:2 / /nosep rw ext4 /dev/sda2 rw\n"
		"3 0 8:3 / /bad\\377name rw - ext4 /dev/sda3 rw\n"
		"4 0 99999999999:1 / /huge rw - ext4 /dev/sda4 rw\n"
		"5 0 8:5 / /cut rw - ext4 /dev/sd"), &t, &ml), 0);
	log = cap_end();
	assert_int_equal(ml.n, 1);
	assert_string_equal(ml.m[0].path, "/ok");
	assert_non_null(strstr(log, "mountinfo: malformed"));
	assert_non_null(strstr(log, "no file system type"));
	assert_non_null(strstr(log, "not valid UTF-8"));
}

static void test_mounts_usage_like_df(void **state)
{
	(void)state;
	struct statvfs sv;
	struct fs_usage u;
	memset(&sv, 0, sizeof(sv));
	sv.f_bsize = 4096;
	sv.f_frsize = 4096;
	sv.f_blocks = 1000;
	sv.f_bfree = 300;     /* root-reserved: bfree - bavail */
	sv.f_bavail = 250;
	sv.f_files = 100;
	sv.f_ffree = 40;
	mounts_usage(&sv, &u);
	assert_true(u.total == 1000 * 4096);
	assert_true(u.used == 700 * 4096);
	assert_true(u.free == 250 * 4096);
	/* df: used / (used + avail), here 700/950 = 73.68 (df prints 74%) */
	assert_true(fabs(u.percent - 700.0 * 100 / 950) < 1e-9);
	assert_true(u.inodes_total == 100 && u.inodes_used == 60 && u.inodes_free == 40);
}

/* ---- interfaces ---------------------------------------------------------- */

/* Build one RTM_NEWLINK message (host byte order) into buf; returns its length. */
static size_t put_attr(uint8_t *p, uint16_t type, const void *v, uint16_t n)
{
	uint16_t len = (uint16_t)(4 + n);
	memcpy(p, &len, 2);
	memcpy(p + 2, &type, 2);
	memcpy(p + 4, v, n);
	return (size_t)((len + 3) & ~3);
}

static size_t make_link(uint8_t *buf, int32_t index, const char *name, size_t name_len,
			uint64_t rx_bytes, uint64_t tx_bytes)
{
	struct nlmsghdr nh = { .nlmsg_type = RTM_NEWLINK };
	struct ifinfomsg ifi = { .ifi_index = index };
	struct rtnl_link_stats64 st;
	uint32_t mtu = 1500;
	uint8_t oper = 6, mac[6] = { 2, 0, 0, 0, 0, (uint8_t)index };
	size_t o = sizeof(nh);

	memcpy(buf + o, &ifi, sizeof(ifi));
	o += sizeof(ifi);
	char nm[32] = { 0 };
	memcpy(nm, name, name_len);
	o += put_attr(buf + o, IFLA_IFNAME, nm, (uint16_t)(name_len + 1));
	o += put_attr(buf + o, IFLA_MTU, &mtu, 4);
	o += put_attr(buf + o, IFLA_ADDRESS, mac, 6);
	o += put_attr(buf + o, IFLA_OPERSTATE, &oper, 1);
	memset(&st, 0, sizeof(st));
	st.rx_bytes = rx_bytes;
	st.tx_bytes = tx_bytes;
	st.rx_packets = 7;
	st.tx_dropped = 3;
	o += put_attr(buf + o, IFLA_STATS64, &st, sizeof(st));
	nh.nlmsg_len = (uint32_t)o;
	memcpy(buf, &nh, sizeof(nh));
	return o;
}

static size_t make_done(uint8_t *buf)
{
	struct nlmsghdr nh = { .nlmsg_len = 20, .nlmsg_type = NLMSG_DONE };
	memset(buf, 0, 20);
	memcpy(buf, &nh, sizeof(nh));
	return 20;
}

struct collected {
	struct netif_link l[8];
	size_t n;
};

static void collect(void *arg, const struct netif_link *l)
{
	struct collected *c = arg;
	if (c->n < 8)
		c->l[c->n++] = *l;
}

static void test_netif_parse(void **state)
{
	(void)state;
	static uint8_t buf[4096];
	struct collected c = { .n = 0 };
	size_t n = make_link(buf, 2, "eth0", 4, 1000, 2000);
	n += make_done(buf + n);
	assert_int_equal(netif_parse_dump(buf, n, collect, &c), 1);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.l[0].name, "eth0");
	assert_true(c.l[0].counter[NIC_RX_BYTES] == 1000 && c.l[0].counter[NIC_TX_BYTES] == 2000);
	assert_true(c.l[0].counter[NIC_RX_PACKETS] == 7 && c.l[0].counter[NIC_TX_DROPPED] == 3);
	assert_int_equal(c.l[0].mtu, 1500);
	assert_int_equal(c.l[0].mac_len, 6);
	assert_int_equal(c.l[0].operstate, 6);

	/* non-UTF-8 name: the link is parsed, its name left empty */
	c.n = 0;
	n = make_link(buf, 3, "e\xff\xfe", 3, 1, 1);
	assert_int_equal(netif_parse_dump(buf, n, collect, &c), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.l[0].name, "");

	/* every truncation of a valid message fails cleanly or parses a prefix */
	n = make_link(buf, 2, "eth0", 4, 1000, 2000);
	for (size_t cut = 1; cut < n; cut++) {
		c.n = 0;
		int rc = netif_parse_dump(buf, cut, collect, &c);
		assert_true(rc == -1 || rc == 0);
	}
	/* a length field beyond the buffer */
	uint32_t big = 100000;
	memcpy(buf, &big, 4);
	assert_int_equal(netif_parse_dump(buf, n, collect, &c), -1);
	/* NLMSG_ERROR ends the dump as a failure */
	struct nlmsghdr e = { .nlmsg_len = 16, .nlmsg_type = NLMSG_ERROR };
	memcpy(buf, &e, sizeof(e));
	assert_int_equal(netif_parse_dump(buf, 16, collect, &c), -1);
}

static void test_netif_speed(void **state)
{
	(void)state;
	assert_true(netif_parse_speed(S("1000\n")) == 1000);
	assert_true(netif_parse_speed(S("-1\n")) == 0);
	assert_true(netif_parse_speed(S("1000")) == 0);           /* truncated */
	assert_true(netif_parse_speed(S("99999999999999999999\n")) == 0);
	assert_true(netif_parse_speed(S("")) == 0);
}

static void test_netif_filter(void **state)
{
	(void)state;
	struct netif_filter f;
	char err[128];
	assert_int_equal(netif_filter_parse(&f, "", "", err, sizeof(err)), 0);
	assert_true(netif_filter_match(&f, "anything"));
	assert_int_equal(netif_filter_parse(&f, "eth*, en?0", "eth1", err, sizeof(err)), 0);
	assert_true(netif_filter_match(&f, "eth0"));
	assert_true(netif_filter_match(&f, "enp0"));
	assert_false(netif_filter_match(&f, "eth1"));     /* exclude wins */
	assert_false(netif_filter_match(&f, "lo"));
	assert_int_equal(netif_filter_parse(&f, "eth*,,lo", "", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "interfaces_include"));
}

static void apply_one(struct netif_table *t, uint64_t now, int32_t idx, const char *name,
		      uint64_t rx, uint64_t tx)
{
	static uint8_t buf[2048];
	size_t n = make_link(buf, idx, name, strlen(name), rx, tx);
	netif_table_begin(t, now);
	assert_true(netif_parse_dump(buf, n, netif_table_apply, t) >= 0);
	netif_table_end(t);
}

static void test_netif_rates_resets_renames(void **state)
{
	(void)state;
	static struct netif_table t;
	netif_table_init(&t, NULL, NULL);
	const uint64_t s = 1000000000ULL;

	apply_one(&t, 10 * s, 2, "eth0", 1000, 0);
	assert_int_equal(t.n, 1);
	assert_true(t.ifs[0].rate_bps[0] == 0);                  /* first sight: baseline */
	apply_one(&t, 12 * s, 2, "eth0", 3000, 500);
	assert_true(fabs(t.ifs[0].rate_bps[0] - 8000.0) < 1e-6);   /* 2000 B in 2 s */
	assert_true(fabs(t.ifs[0].rate_bps[1] - 2000.0) < 1e-6);
	/* counter went down: reset, new baseline, no traffic */
	cap_start();
	apply_one(&t, 13 * s, 2, "eth0", 100, 600);
	assert_non_null(strstr(cap_end(), "reset"));
	assert_true(t.ifs[0].rate_bps[0] == 0 && t.ifs[0].rate_bps[1] == 0);
	assert_true(t.ifs[0].resets == 1);
	apply_one(&t, 14 * s, 2, "eth0", 1100, 600);
	assert_true(fabs(t.ifs[0].rate_bps[0] - 8000.0) < 1e-6);
	/* renamed: same ifindex keeps its history */
	cap_start();
	apply_one(&t, 15 * s, 2, "wan0", 2100, 600);
	assert_non_null(strstr(cap_end(), "renamed to wan0"));
	assert_string_equal(t.ifs[0].link.name, "wan0");
	assert_true(fabs(t.ifs[0].rate_bps[0] - 8000.0) < 1e-6);
	/* another interface appears, the first vanishes */
	cap_start();
	apply_one(&t, 16 * s, 5, "eth1", 10, 10);
	assert_non_null(strstr(cap_end(), "wan0 is gone"));
	assert_int_equal(t.n, 1);
	assert_string_equal(t.ifs[0].link.name, "eth1");
	/* a non-UTF-8 name: tracked, not reported, logged */
	cap_start();
	apply_one(&t, 17 * s, 6, "b\xc0\xaf", 10, 10);
	assert_non_null(strstr(cap_end(), "not valid UTF-8"));
	assert_false(t.ifs[0].named);
	netif_table_free(&t);
}

static void test_netif_filtered_table(void **state)
{
	(void)state;
	static struct netif_table t;
	struct netif_filter f;
	char err[64];
	assert_int_equal(netif_filter_parse(&f, "", "veth*", err, sizeof(err)), 0);
	netif_table_init(&t, NULL, &f);
	apply_one(&t, 1, 9, "veth12", 1, 1);
	assert_int_equal(t.n, 0);
	netif_table_free(&t);
}

static void test_utilization_mac(void **state)
{
	(void)state;
	char mac[64];
	assert_true(ifstat_utilization(5e6, 1e6, 100) == 5.0);
	assert_true(ifstat_utilization(5e6, 1e6, 0) == 0.0);
	assert_true(ifstat_utilization(1234567, 0, 1000) == 0.12);
	const uint8_t m[6] = { 0xaa, 0xbb, 0xcc, 0, 1, 0xff };
	ifstat_format_mac(m, 6, mac, 18);
	assert_string_equal(mac, "aa:bb:cc:00:01:ff");
	ifstat_format_mac(m, 0, mac, sizeof(mac));
	assert_string_equal(mac, "");
}

/* ---- the whole sampler on the fixture tree ------------------------------ */

static void test_sampler_fixture_tree(void **state)
{
	(void)state;
	struct sysd_sampler *s = calloc(1, sizeof(*s));
	assert_non_null(s);
	cap_start();
	sysd_sampler_open(s, FIX "/proc", FIX "/sys", NULL);
	sysd_sample(s);
	sysd_sample(s);
	cap_end();
	assert_true(s->have_cpu);            /* same file twice: a zero window */
	assert_true(s->cpu_percent == 0.0);
	assert_true(s->have_online && s->online == 2);
	assert_true(s->load.valid && fabs(s->load.load5 - 1.25) < 1e-9);
	assert_true(s->have_mem && s->mem.used == 3500000ULL * 1024);
	assert_true(s->have_uptime && s->uptime_s == 12345);
	/* "/" exists on every machine; the other fixture mounts may not */
	assert_true(s->ndisks >= 1);
	assert_string_equal(s->disks[0].mount->path, "/");

	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_int_equal(sysd_dump_json(s, out), 0);
	fclose(out);
	assert_non_null(strstr(text, "\"usedBytes\":3584000000"));
	assert_non_null(strstr(text, "\"freeBytes\":5120000000"));
	assert_non_null(strstr(text, "\"percentUsed\":37.50"));
	assert_non_null(strstr(text, "\"uptimeSeconds\":12345"));
	free(text);
	sysd_sampler_close(s);
	free(s);
}

static void test_sampler_missing_files(void **state)
{
	(void)state;
	struct sysd_sampler *s = calloc(1, sizeof(*s));
	assert_non_null(s);
	cap_start();
	sysd_sampler_open(s, "/nonexistent-netmon-root/proc", "/nonexistent-netmon-root/sys", NULL);
	sysd_sample(s);
	sysd_sample(s);
	const char *log = cap_end();
	assert_non_null(strstr(log, "/nonexistent-netmon-root/proc/meminfo: cannot open"));
	assert_false(s->have_cpu || s->have_mem || s->have_uptime || s->have_online);
	assert_int_equal(s->ndisks, 0);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_int_equal(sysd_dump_json(s, out), 0);
	fclose(out);
	assert_non_null(strstr(text, "\"memory\":{}"));
	free(text);
	sysd_sampler_close(s);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_numbers),
		cmocka_unit_test(test_cpu_stat_fixture),
		cmocka_unit_test(test_cpu_percent),
		cmocka_unit_test(test_cpu_stat_malformed),
		cmocka_unit_test(test_loadavg_online),
		cmocka_unit_test(test_meminfo_fixture),
		cmocka_unit_test(test_meminfo_malformed),
		cmocka_unit_test(test_uptime),
		cmocka_unit_test(test_mounts_fixture),
		cmocka_unit_test(test_mounts_rules),
		cmocka_unit_test(test_mounts_usage_like_df),
		cmocka_unit_test(test_netif_parse),
		cmocka_unit_test(test_netif_speed),
		cmocka_unit_test(test_netif_filter),
		cmocka_unit_test(test_netif_rates_resets_renames),
		cmocka_unit_test(test_netif_filtered_table),
		cmocka_unit_test(test_utilization_mac),
		cmocka_unit_test(test_sampler_fixture_tree),
		cmocka_unit_test(test_sampler_missing_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
