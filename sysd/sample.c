#include "sample.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "log.h"
#include "sched.h"
#include "uptime.h"

int sysd_sampler_open(struct sysd_sampler *s, const char *proc_root, const char *sys_root,
		      const struct netif_filter *filter)
{
	pfile_open(&s->stat, proc_root, "stat", 16384);
	pfile_open(&s->meminfo, proc_root, "meminfo", 8192);
	pfile_open(&s->loadavg, proc_root, "loadavg", 128);
	pfile_open(&s->uptime, proc_root, "uptime", 128);
	pfile_open(&s->mountinfo, proc_root, "self/mountinfo", 16384);
	pfile_open(&s->filesystems, proc_root, "filesystems", 2048);
	pfile_open(&s->online_file, sys_root, "devices/system/cpu/online", 128);
	netif_table_init(&s->netifs, sys_root, filter);
	s->nl_fd = netif_socket_open();
	return 0;
}

/* /proc/self/mountinfo signals a change of the mount table with POLLPRI:
 * parse it again only then (a fixture file never signals: parsed once). */
static bool mounts_changed(struct sysd_sampler *s)
{
	if (!s->mounts_valid)
		return true;
	struct pollfd p = { .fd = s->mountinfo.fd, .events = POLLPRI };
	return p.fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & (POLLPRI | POLLERR));
}

static void sample_mounts(struct sysd_sampler *s)
{
	if (mounts_changed(s)) {
		s->mounts_valid = false;
		s->mounts.n = 0;
		if (s->fstypes.n == 0 &&
		    (pfile_read(&s->filesystems) != 0 ||
		     mounts_parse_filesystems(s->filesystems.buf, s->filesystems.len, &s->fstypes) != 0))
			return;
		if (pfile_read(&s->mountinfo) != 0)
			return;
		mounts_parse_mountinfo(s->mountinfo.buf, s->mountinfo.len, &s->fstypes, &s->mounts);
		s->mounts_valid = true;
	}
	s->ndisks = 0;
	for (size_t i = 0; i < s->mounts.n; i++) {
		struct disk_sample *d = &s->disks[s->ndisks];
		struct statvfs sv;
		d->mount = &s->mounts.m[i];
		d->ok = statvfs(d->mount->path, &sv) == 0;
		if (!d->ok) {
			log_debug("statvfs %s: failed, left out", d->mount->path);
			continue;
		}
		mounts_usage(&sv, &d->usage);
		s->ndisks++;
	}
}

static void sample_cpu(struct sysd_sampler *s)
{
	int next = s->cur ^ 1;
	s->have_cpu = false;
	if (pfile_read(&s->stat) != 0 || cpu_parse_stat(s->stat.buf, s->stat.len, &s->cpu[next]) != 0) {
		s->have_prev_cpu = false;
		return;
	}
	const struct cpu_stat *a = &s->cpu[s->cur], *b = &s->cpu[next];
	if (s->have_prev_cpu) {
		double p = cpu_busy_percent(&a->all, &b->all);
		s->have_cpu = p >= 0;
		s->cpu_percent = p;
		s->ncpu = b->ncpu;
		for (unsigned i = 0; i < b->ncpu; i++)
			s->per_cpu[i] = cpu_busy_percent(&a->cpu[i], &b->cpu[i]);
	}
	s->cur = next;
	s->have_prev_cpu = true;
}

int sysd_sample(struct sysd_sampler *s)
{
	uint64_t now = mono_ns();
	s->window_ns = s->samples ? now - s->mono_ns : 0;
	s->mono_ns = now;
	s->real_ns = realtime_ns();

	sample_cpu(s);
	s->load.valid = false;
	if (pfile_read(&s->loadavg) == 0)
		cpu_parse_loadavg(s->loadavg.buf, s->loadavg.len, &s->load);
	s->have_online = pfile_read(&s->online_file) == 0 &&
			 cpu_parse_online(s->online_file.buf, s->online_file.len, &s->online) == 0;
	s->have_mem = pfile_read(&s->meminfo) == 0 &&
		      mem_parse(s->meminfo.buf, s->meminfo.len, &s->mem) == 0;
	s->have_uptime = pfile_read(&s->uptime) == 0 &&
			 uptime_parse(s->uptime.buf, s->uptime.len, &s->uptime_s) == 0;
	sample_mounts(s);
	s->have_netifs = netif_dump(s->nl_fd, &s->netifs, s->mono_ns) == 0;
	s->samples++;
	return 0;
}

void sysd_sampler_close(struct sysd_sampler *s)
{
	struct pfile *f[] = { &s->stat, &s->meminfo, &s->loadavg, &s->uptime, &s->mountinfo,
			      &s->filesystems, &s->online_file };
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		pfile_close(f[i]);
	netif_table_free(&s->netifs);
	if (s->nl_fd >= 0)
		close(s->nl_fd);
	s->nl_fd = -1;
}
