/*
 * CPU time of one complete netmon-sysd sample: every /proc and /sys read,
 * the rtnetlink dump, statvfs of each local file system, and the three
 * records encoded for the reporter (what the daemon does each cycle).
 * Usage: sysd_bench SAMPLES  ->  "samples N cpu_us_per_sample X wall_us_per_sample Y"
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "log.h"
#include "sched.h"
#include "sysd/report.h"
#include "sysd/sample.h"

static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
	struct sysd_sampler *s = calloc(1, sizeof(*s));
	struct sysd_report *r = calloc(1, sizeof(*r));
	if (n <= 0 || !s || !r)
		return 2;
	log_init("sysd_bench");
	sysd_sampler_open(s, "/proc", "/sys", NULL);
	sysd_sample(s);
	double c0 = cpu_seconds();
	uint64_t w0 = mono_ns();
	size_t bytes = 0;
	for (long i = 0; i < n; i++) {
		sysd_sample(s);
		bytes += sysd_report_encode(r, s, WIRE_SYS_METRICS, (uint64_t)i);
		bytes += sysd_report_encode(r, s, WIRE_SYS_DISKS, (uint64_t)i);
		bytes += sysd_report_encode(r, s, WIRE_SYS_IFACES, (uint64_t)i);
	}
	double cpu = cpu_seconds() - c0;
	double wall = (double)(mono_ns() - w0) / 1e9;
	printf("samples %ld cpu_us_per_sample %.1f wall_us_per_sample %.1f record_bytes %zu disks %zu interfaces %zu\n",
	       n, cpu * 1e6 / (double)n, wall * 1e6 / (double)n, bytes / (size_t)n, s->ndisks,
	       s->netifs.n);
	sysd_sampler_close(s);
	free(s);
	free(r);
	return 0;
}
