/*
 * sysd's /proc and /sys parsers on arbitrary bytes. The first byte picks the
 * parser, the rest is the file (or the rtnetlink dump). Beyond "no crash":
 * every promise a caller relies on is checked (percentages in range, used
 * never above total, names clean UTF-8, counters copied exactly).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sysd/cpu.h"
#include "sysd/mem.h"
#include "sysd/mounts.h"
#include "sysd/netif.h"
#include "sysd/scan.h"
#include "sysd/uptime.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_link(void *arg, const struct netif_link *l)
{
	(void)arg;
	size_t n = strnlen(l->name, sizeof(l->name));
	if (n == sizeof(l->name) || !text_clean(l->name, n))
		abort();
	if (l->mac_len > sizeof(l->mac))
		abort();
}

static void fuzz_stat(const uint8_t *d, size_t n)
{
	static struct cpu_stat a, b;
	if (cpu_parse_stat(d, n, &a) != 0)
		return;
	if (a.all.idle > a.all.total)
		abort();   /* idle is part of the checked sum */
	b = a;
	b.all.total += 100;
	double p = cpu_busy_percent(&a.all, &b.all);
	if (!(p == -1 || (p >= 0 && p <= 100)))
		abort();
	if (a.ncpu > CPU_MAX)
		abort();
}

static void fuzz_mem(const uint8_t *d, size_t n)
{
	struct mem_info m;
	mem_parse(d, n, &m);
	if (m.have_used && m.have_total && m.used > m.total)
		abort();
	if (m.have_available && m.have_total && m.available > m.total)
		abort();
	if (m.have_percent && !(m.percent >= 0 && m.percent <= 100))
		abort();
	if (m.have_swap && m.swap_used > m.swap_total)
		abort();
}

static void fuzz_mounts(const uint8_t *d, size_t n)
{
	static struct mount_list ml;
	static const struct fstypes t = { .name = { "ext4", "xfs", "vfat", "nfs" }, .n = 4 };
	struct fstypes parsed;
	mounts_parse_filesystems(d, n, &parsed);
	mounts_parse_mountinfo(d, n, &t, &ml);
	if (ml.n > MOUNT_MAX)
		abort();
	for (size_t i = 0; i < ml.n; i++) {
		if (!text_clean(ml.m[i].path, strlen(ml.m[i].path)))
			abort();
		if (strcmp(ml.m[i].fstype, "nfs") == 0)
			abort();   /* never a network file system */
		for (size_t j = 0; j < i; j++)
			if (ml.m[i].major == ml.m[j].major && ml.m[i].minor == ml.m[j].minor)
				abort();   /* one entry per device */
	}
}

static void fuzz_small(const uint8_t *d, size_t n)
{
	struct loadavg la;
	unsigned cpus;
	uint64_t up;
	cpu_parse_loadavg(d, n, &la);
	if (cpu_parse_online(d, n, &cpus) == 0 && cpus == 0)
		abort();
	uptime_parse(d, n, &up);
	netif_parse_speed(d, n);
}

static void fuzz_netlink(const uint8_t *d, size_t n)
{
	static struct netif_table t;
	netif_parse_dump(d, n, check_link, NULL);
	/* and through the table, twice, so resets and renames are exercised */
	netif_table_init(&t, NULL, NULL);
	for (int round = 0; round < 2; round++) {
		netif_table_begin(&t, 1000000000ULL * (uint64_t)(round + 1));
		netif_parse_dump(d, n, netif_table_apply, &t);
		netif_table_end(&t);
		for (size_t i = 0; i < t.n; i++)
			if (t.ifs[i].rate_bps[0] < 0 || t.ifs[i].rate_bps[1] < 0)
				abort();
	}
	netif_table_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	if (!quiet) {
		log_init("fuzz_sysd");
		log_set_level(LOG_LVL_ERR);   /* parsers warn on every bad input */
		quiet = 1;
	}
	if (size < 1)
		return 0;
	const uint8_t *d = data + 1;
	size_t n = size - 1;
	switch (data[0] % 5) {
	case 0: fuzz_stat(d, n); break;
	case 1: fuzz_mem(d, n); break;
	case 2: fuzz_mounts(d, n); break;
	case 3: fuzz_small(d, n); break;
	case 4: fuzz_netlink(d, n); break;
	}
	return 0;
}
