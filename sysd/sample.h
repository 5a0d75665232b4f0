/*
 * One complete sample of the machine: CPU, load, memory, disks, uptime and
 * interfaces. The sampler holds every descriptor open from start-up (opened
 * before the sandbox) and the previous readings that windows need.
 */
#ifndef NETMON_SYSD_SAMPLE_H
#define NETMON_SYSD_SAMPLE_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu.h"
#include "mem.h"
#include "mounts.h"
#include "netif.h"
#include "pfile.h"

struct disk_sample {
	const struct mount_entry *mount;
	struct fs_usage usage;
	bool ok;                      /* statvfs answered */
};

struct sysd_sampler {
	/* kept-open files */
	struct pfile stat, meminfo, loadavg, uptime, mountinfo, filesystems, online_file;
	int nl_fd;                    /* rtnetlink, -1 when unavailable */

	/* state between samples */
	struct cpu_stat cpu[2];       /* two readings, alternating */
	int cur;                      /* index of the latest in cpu[] */
	bool have_prev_cpu;
	struct fstypes fstypes;
	struct mount_list mounts;
	bool mounts_valid;
	struct netif_table netifs;

	/* the latest sample */
	uint64_t mono_ns, real_ns;
	uint64_t window_ns;           /* since the previous sample, 0 for the first */
	bool have_cpu;
	double cpu_percent;
	double per_cpu[CPU_MAX];      /* -1 = no value for that CPU */
	unsigned ncpu;
	struct loadavg load;
	bool have_online;
	unsigned online;
	struct mem_info mem;
	bool have_mem;
	bool have_uptime;
	uint64_t uptime_s;
	struct disk_sample disks[MOUNT_MAX];
	size_t ndisks;
	bool have_netifs;
	uint64_t samples;
};

/* Open every file under proc_root/sys_root and the rtnetlink socket.
 * A file that cannot be opened is logged and its values left out. *s must
 * be zeroed (calloc): its large arrays are then only touched as they are
 * used, which keeps the daemon's resident memory small. */
int sysd_sampler_open(struct sysd_sampler *s, const char *proc_root, const char *sys_root,
		      const struct netif_filter *filter);
/* Take one sample now. Returns 0 (whatever could be read is filled). */
int sysd_sample(struct sysd_sampler *s);
void sysd_sampler_close(struct sysd_sampler *s);

#endif
