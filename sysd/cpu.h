/*
 * CPU: busy percent from /proc/stat over a window (all CPUs and each CPU),
 * load averages from /proc/loadavg, CPUs online from
 * /sys/devices/system/cpu/online. Busy = total - idle - iowait, where total
 * is the sum of every field except guest and guest_nice (already counted in
 * user and nice): the same meaning as psutil.cpu_percent().
 */
#ifndef NETMON_SYSD_CPU_H
#define NETMON_SYSD_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPU_MAX 1024            /* cpuN lines above this are ignored (logged) */

struct cpu_ticks {
	uint64_t total;             /* jiffies, guest excluded */
	uint64_t idle;              /* idle + iowait */
	bool valid;
};

struct cpu_stat {
	struct cpu_ticks all;
	struct cpu_ticks cpu[CPU_MAX];   /* by CPU number; .valid = line present */
	unsigned ncpu;                   /* highest CPU number seen + 1 */
	uint64_t btime;                  /* boot time, seconds since the epoch; 0 unknown */
};

/* Parse /proc/stat. Lines that are malformed are left out (logged, once per
 * parse, naming the line). Returns 0 when the "cpu" line was read, else -1. */
int cpu_parse_stat(const uint8_t *buf, size_t len, struct cpu_stat *out);
/* Busy percent between two readings; -1 when there is no valid window (a line
 * missing in either, or counters that went backwards: CPU hotplug). */
double cpu_busy_percent(const struct cpu_ticks *a, const struct cpu_ticks *b);

struct loadavg {
	double load1, load5, load15;
	bool valid;
};
int cpu_parse_loadavg(const uint8_t *buf, size_t len, struct loadavg *out);

/* "0-3,5,7-8\n" -> 7. Returns -1 when malformed. */
int cpu_parse_online(const uint8_t *buf, size_t len, unsigned *count);

#endif
