/*
 * netmon-capd: capture and per-device traffic accounting (SPEC §4).
 *   live:    open the capture while privileged, confine, then account every
 *            frame and send cumulative counters to the reporter each second
 *   offline: --read FILE [--dump]: no privilege, no config, no reporter
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "daemon.h"
#include "dump.h"
#include "link.h"
#include "live.h"
#include "log.h"
#include "notify.h"
#include "offline.h"
#include "privdrop.h"
#include "sandbox.h"
#include "sched.h"
#include "table.h"

struct options {
	struct daemon_opts d;          /* -c, --check-config, -h, -V */
	const char *read_path;
	const char *interface;
	bool have_networks;
	struct cidr_list networks;
	uint32_t max_devices;          /* 0 = from config / default */
	bool dump;
};

static void usage(void)
{
	printf("usage: netmon-capd [-c FILE] [--check-config] [-i IF] [--networks CIDR,...]\n"
	       "                   [--max-devices N] [--dump]\n"
	       "       netmon-capd --read FILE [--networks CIDR,...] [--max-devices N] [--dump]\n"
	       "  -c, --config FILE     configuration file (default %s)\n"
	       "      --check-config    validate the configuration, print it, exit 0/1\n"
	       "  -i, --interface IF    capture on IF instead of [agent] interface\n"
	       "  -r, --read FILE       account a pcap/pcapng file offline, then exit\n"
	       "      --networks LIST   local networks (CIDRs); offline default: every address\n"
	       "      --max-devices N   table capacity (default %u)\n"
	       "      --dump            print the counters as JSON lines (live: at exit)\n"
	       "  -h, --help            this help\n"
	       "  -V, --version         print the version\n",
	       NETMON_DEFAULT_CONFIG, CAPD_TABLE_DEFAULT_CAPACITY);
}

static uint32_t parse_max_devices(const char *s)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || v == 0 ||
	    v > CAPD_TABLE_MAX_CAPACITY)
		daemon_usage_error("--max-devices: '%s' is not a number from 1 to %u", s,
				   CAPD_TABLE_MAX_CAPACITY);
	return (uint32_t)v;
}

static void parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_NETWORKS = DAEMON_OPT_ROLE_FIRST, OPT_MAX_DEVICES, OPT_DUMP };
	static const struct option longopts[] = {
		DAEMON_LONGOPTS
		{ "interface", required_argument, NULL, 'i' },
		{ "read", required_argument, NULL, 'r' },
		{ "networks", required_argument, NULL, OPT_NETWORKS },
		{ "max-devices", required_argument, NULL, OPT_MAX_DEVICES },
		{ "dump", no_argument, NULL, OPT_DUMP },
		{ NULL, 0, NULL, 0 },
	};
	char err[256];
	int ch;

	memset(o, 0, sizeof(*o));
	daemon_opts_init(&o->d);
	while ((ch = getopt_long(argc, argv, DAEMON_SHORTOPTS "i:r:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i': o->interface = optarg; break;
		case 'r': o->read_path = optarg; break;
		case OPT_NETWORKS:
			if (cidr_list_parse(optarg, &o->networks, err, sizeof(err)) != 0)
				daemon_usage_error("--networks: %s", err);
			o->have_networks = true;
			break;
		case OPT_MAX_DEVICES: o->max_devices = parse_max_devices(optarg); break;
		case OPT_DUMP: o->dump = true; break;
		default: daemon_common_option(ch, &o->d, usage, argv);
		}
	}
	daemon_no_operands(argc, argv);
	if (o->read_path && o->interface)
		daemon_usage_error("--read and --interface exclude each other");
}

/* Offline: a config file only when one is named with -c, and then unresolved
 * (its networks, if set, are used; the machine's own prefixes mean nothing
 * for a file recorded elsewhere). No networks at all = every address. */
static int run_offline(const struct options *o)
{
	struct netmon_config cfg;
	struct cidr_list networks = { .n = 0 };
	uint32_t max_devices = CAPD_TABLE_DEFAULT_CAPACITY;
	const char *user = "nobody";   /* run as root without a config file */
	char err[512];

	if (o->d.config_given) {
		if (config_load(&cfg, o->d.config_path, err, sizeof(err)) != 0)
			fatalx("%s", err);
		log_set_level((enum log_level)log_level_parse(cfg.log_level));
		networks = cfg.networks;
		max_devices = cfg.max_devices;
		user = config_user_for(&cfg, ROLE_CAPD);
	}
	if (o->have_networks)
		networks = o->networks;
	if (o->max_devices)
		max_devices = o->max_devices;
	/* reading a file needs no particular user, only not root: a config
	 * written for another machine may name a user this one lacks */
	struct priv_user u;
	if (priv_lookup(user, &u, err, sizeof(err)) != 0) {
		log_debug("%s; reading as nobody", err);
		user = "nobody";
	}

	struct capd_offline_opts opts = {
		.path = o->read_path,
		.networks = &networks,
		.all_addresses = networks.n == 0,
		.max_devices = max_devices,
		.dump = o->dump,
		.user = user,
		.test = &o->d,
	};
	return capd_offline_run(&opts, stdout);
}

static int run_live(const struct options *o)
{
	struct netmon_config cfg;
	struct helper_link link;
	struct capd_live lv;
	char err[512];

	daemon_config(&cfg, o->d.config_path, o->d.check_only, ROLE_CAPD);
	if (o->interface)
		snprintf(cfg.interface, sizeof(cfg.interface), "%s", o->interface);
	if (o->have_networks)
		cfg.networks = o->networks;
	if (o->max_devices)
		cfg.max_devices = o->max_devices;
	daemon_signals();
	if (link_init(&link, ROLE_CAPD, cfg.run_dir) != 0)
		fatalx("run_dir '%s' is too long for a socket path", cfg.run_dir);

	if (capd_live_open(&lv, &cfg, err, sizeof(err)) != 0)
		fatalx("%s", err);
	struct notify sd;
	notify_open(&sd);
	daemon_confine_as(config_user_for(&cfg, ROLE_CAPD), ROLE_CAPD,
			  o->dump ? SANDBOX_STDOUT : 0, true);
	if (!capd_live_test_hook(&lv, o->d.test_hook))
		daemon_test_hooks(&o->d);
	notify_ready(&sd, mono_ns());
	log_info("capturing on %s (snaplen %u, ring %zu bytes = %zu MiB, %u table slots)",
		 lv.interface, cfg.snaplen, lv.ring_bytes, lv.ring_bytes >> 20, lv.table.capacity);

	struct sched tick;
	sched_init(&tick, NSEC_PER_SEC, mono_ns());
	int status = EXIT_SUCCESS;
	uint64_t next_read = 0;      /* the ring is read again from then on */
	while (!daemon_stop) {
		/* Hold-off (capd_live_hold_ns): on a busy link one read of the
		 * ring per CAPD_READ_INTERVAL_NS, of every block filled since,
		 * rather than a wake-up per block. */
		uint64_t now = mono_ns();
		bool hold = now < next_read;
		int timeout = sched_timeout_ms(&tick, now);
		if (hold && (uint64_t)timeout * NSEC_PER_MSEC > next_read - now)
			timeout = (int)((next_read - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC);
		/* the reporter's socket is watched only while a flush waits for room */
		struct pollfd pfd[2] = {
			{ .fd = hold ? -1 : lv.fd, .events = POLLIN },
			{ .fd = lv.flush_pending ? link_fd(&link) : -1, .events = POLLOUT },
		};
		if (poll(pfd, 2, timeout) < 0 && errno != EINTR)
			fatal("poll");
		if (!hold) {
			int frames = capd_live_dispatch(&lv, err, sizeof(err));
			if (frames < 0) {
				log_warnx("%s", err);
				status = EXIT_FAILURE;
				break;
			}
			next_read = now + capd_live_hold_ns(&lv, frames);
		}
		if (pfd[1].revents)
			capd_live_flush_continue(&lv, &link);
		now = mono_ns();
		notify_watchdog(&sd, now);
		if (sched_due(&tick, now) && link_service(&link, now)) {
			capd_live_flush(&lv, &link);
			link_send_heartbeat(&link, now);
		}
	}
	/* what is still in the ring, then a last flush so nothing is lost
	 * (bounded: a reporter that reads nothing does not hold up the exit) */
	if (status == EXIT_SUCCESS && capd_live_dispatch(&lv, err, sizeof(err)) < 0)
		log_warnx("%s", err);
	if (link_service(&link, mono_ns())) {
		capd_live_flush(&lv, &link);
		uint64_t deadline = mono_ns() + 2 * NSEC_PER_SEC;
		while (lv.flush_pending && link_connected(&link) && mono_ns() < deadline) {
			struct pollfd out = { .fd = link_fd(&link), .events = POLLOUT };
			if (poll(&out, 1, 100) > 0)
				capd_live_flush_continue(&lv, &link);
		}
	}
	struct pcap_stat ps = { 0 };
	if (pcap_stats(lv.p, &ps) != 0)
		log_warnx("%s: pcap_stats: %s", lv.interface, pcap_geterr(lv.p));
	notify_stopping(&sd);
	log_info("stopping: %llu packets, %u dropped, %u dropped by the interface, "
		 "%llu evictions", (unsigned long long)lv.acct.frames, ps.ps_drop,
		 ps.ps_ifdrop, (unsigned long long)lv.table.evictions);
	if (o->dump && capd_dump_json(&lv.table, stdout) != 0)
		status = EXIT_FAILURE;
	link_close(&link);
	capd_live_close(&lv);
	return status;
}

int main(int argc, char **argv)
{
	struct options o;

	daemon_close_inherited();
	log_init("netmon-capd");
	parse_options(argc, argv, &o);
	if (o.read_path && !o.d.check_only)
		return run_offline(&o);
	return run_live(&o);
}
