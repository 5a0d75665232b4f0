/*
 * netmon-sysd: system metrics (CPU, memory, disks, uptime, interfaces),
 * SPEC §6. Never privileged. Opens every /proc and /sys file it reads and
 * its rtnetlink socket, confines itself, then samples once per cycle and
 * sends the sample to the reporter.
 *   netmon-sysd --once --dump [--interval S] [--root DIR]: two samples S
 *   apart, one JSON object on stdout, exit. Needs no config file.
 */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "daemon.h"
#include "dump.h"
#include "link.h"
#include "log.h"
#include "notify.h"
#include "report.h"
#include "sample.h"
#include "sandbox.h"
#include "sched.h"

struct options {
	struct daemon_opts d;
	bool once, dump;
	double interval_s;
	const char *root;
};

static void usage(void)
{
	printf("usage: netmon-sysd [-c FILE] [--check-config] [--root DIR]\n"
	       "       netmon-sysd --once --dump [--interval SECONDS] [--root DIR] [-c FILE]\n"
	       "  -c, --config FILE     configuration file (default %s)\n"
	       "      --check-config    validate the configuration, print it, exit 0/1\n"
	       "      --once            take two samples --interval apart, then exit\n"
	       "      --dump            print the sample as one JSON object\n"
	       "      --interval S      seconds between the two samples of --once (default 1)\n"
	       "      --root DIR        read DIR/proc and DIR/sys instead of /proc and /sys\n"
	       "  -h, --help            this help\n"
	       "  -V, --version         print the version\n",
	       NETMON_DEFAULT_CONFIG);
}

static double parse_interval(const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || !(v >= 0.01 && v <= 3600))
		daemon_usage_error("--interval: '%s' is not a number of seconds from 0.01 to 3600", s);
	return v;
}

static void parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_ONCE = DAEMON_OPT_ROLE_FIRST, OPT_DUMP, OPT_INTERVAL, OPT_ROOT };
	static const struct option longopts[] = {
		DAEMON_LONGOPTS
		{ "once", no_argument, NULL, OPT_ONCE },
		{ "dump", no_argument, NULL, OPT_DUMP },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	daemon_opts_init(&o->d);
	o->interval_s = 1.0;
	bool interval_given = false;
	while ((ch = getopt_long(argc, argv, DAEMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_ONCE: o->once = true; break;
		case OPT_DUMP: o->dump = true; break;
		case OPT_INTERVAL:
			o->interval_s = parse_interval(optarg);
			interval_given = true;
			break;
		case OPT_ROOT:
			if (optarg[0] != '/')
				daemon_usage_error("--root: '%s' is not an absolute path", optarg);
			if (strlen(optarg) > 200)
				daemon_usage_error("--root: path longer than 200 bytes");
			o->root = optarg;
			break;
		default: daemon_common_option(ch, &o->d, usage, argv);
		}
	}
	daemon_no_operands(argc, argv);
	if (o->dump && !o->once)
		daemon_usage_error("--dump needs --once");
	if (interval_given && !o->once)
		daemon_usage_error("--interval needs --once (the daemon samples every cycle_seconds)");
}

static void apply_root(struct netmon_config *cfg, const char *root)
{
	if (root == NULL)
		return;
	snprintf(cfg->proc_root, sizeof(cfg->proc_root), "%s/proc", root);
	snprintf(cfg->sys_root, sizeof(cfg->sys_root), "%s/sys", root);
}

/* The globs are sysd's to understand: checked here (and by --check-config). */
static void parse_filter(const struct netmon_config *cfg, struct netif_filter *filter)
{
	char err[256];
	if (netif_filter_parse(filter, cfg->interfaces_include, cfg->interfaces_exclude,
			       err, sizeof(err)) != 0)
		fatalx("%s: [sysd] %s", cfg->path[0] ? cfg->path : "defaults", err);
}

static void open_sampler(struct sysd_sampler *s, const struct netmon_config *cfg,
			 struct netif_filter *filter)
{
	parse_filter(cfg, filter);
	sysd_sampler_open(s, cfg->proc_root, cfg->sys_root, filter);
}

static void sleep_seconds(double s)
{
	struct timespec ts = { .tv_sec = (time_t)s,
			       .tv_nsec = (long)((s - (double)(time_t)s) * 1e9) };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* --once: no config file unless -c names one, no reporter, sandboxed as
 * the daemon is (whoever runs it). */
static int run_once(const struct options *o)
{
	struct netmon_config cfg;
	struct sysd_sampler *s = calloc(1, sizeof(*s));
	struct netif_filter filter;
	char err[512];

	if (s == NULL)
		fatalx("out of memory");
	config_defaults(&cfg);
	if (o->d.config_given) {
		if (config_load(&cfg, o->d.config_path, err, sizeof(err)) != 0)
			fatalx("%s", err);
		log_set_level((enum log_level)log_level_parse(cfg.log_level));
	}
	apply_root(&cfg, o->root);
	open_sampler(s, &cfg, &filter);
	if (sandbox_apply(ROLE_SYSD, o->dump ? SANDBOX_STDOUT : 0, err, sizeof(err)) != 0)
		fatalx("cannot enter the sandbox: %s", err);
	daemon_test_hooks(&o->d);
	sysd_sample(s);
	sleep_seconds(o->interval_s);
	sysd_sample(s);
	int rc = o->dump ? sysd_dump_json(s, stdout) : 0;
	sysd_sampler_close(s);
	free(s);
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static int run_daemon(const struct options *o)
{
	struct netmon_config cfg;
	struct helper_link link;
	struct netif_filter filter;
	struct sysd_sampler *s = calloc(1, sizeof(*s));
	struct sysd_report *rep = calloc(1, sizeof(*rep));

	if (s == NULL || rep == NULL)
		fatalx("out of memory");
	if (o->d.check_only) {
		/* the interface globs too, before the configuration is printed */
		char err[512];
		if (config_load(&cfg, o->d.config_path, err, sizeof(err)) == 0)
			parse_filter(&cfg, &filter);
	}
	daemon_config(&cfg, o->d.config_path, o->d.check_only, ROLE_SYSD);
	apply_root(&cfg, o->root);
	daemon_signals();
	if (link_init(&link, ROLE_SYSD, cfg.run_dir) != 0)
		fatalx("run_dir '%s' is too long for a socket path", cfg.run_dir);
	open_sampler(s, &cfg, &filter);
	struct notify sd;
	notify_open(&sd);
	daemon_confine(&cfg, ROLE_SYSD);
	daemon_test_hooks(&o->d);
	/* start-up's heap (config text, the seccomp filter being built) back to
	 * the kernel: sysd's steady state is a few kept buffers */
	malloc_trim(0);
	log_info("sampling %s and %s every %u s", cfg.proc_root, cfg.sys_root, cfg.cycle_seconds);
	notify_ready(&sd, mono_ns());

	struct sched beat, cycle;
	uint64_t start = mono_ns();
	sched_init(&beat, NSEC_PER_SEC, start);
	sched_init(&cycle, (uint64_t)cfg.cycle_seconds * NSEC_PER_SEC, start);
	sysd_sample(s);   /* the baseline of the first window */
	while (!daemon_stop) {
		uint64_t now = mono_ns();
		notify_watchdog(&sd, now);
		bool connected = link_service(&link, now);
		if (sched_due(&cycle, now)) {
			sysd_sample(s);
			if (connected)
				sysd_report_send(rep, s, &link);
		}
		if (sched_due(&beat, now) && connected)
			link_send_heartbeat(&link, now);
		int t1 = sched_timeout_ms(&beat, mono_ns()), t2 = sched_timeout_ms(&cycle, mono_ns());
		poll(NULL, 0, t1 < t2 ? t1 : t2);
	}
	log_info("stopping");
	notify_stopping(&sd);
	link_close(&link);
	sysd_sampler_close(s);
	free(s);
	free(rep);
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	struct options o;

	daemon_close_inherited();
	log_init("netmon-sysd");
	parse_options(argc, argv, &o);
	if (o.once && !o.d.check_only)
		return run_once(&o);
	return run_daemon(&o);
}
