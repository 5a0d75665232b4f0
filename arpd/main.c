/*
 * netmon-arpd: ARP/ND discovery (SPEC §5).
 *   daemon: open the packet socket and read the OUI list while privileged,
 *           confine, then sweep scan_range every scan_interval_seconds and
 *           learn from every ARP and ND frame in between
 *   --once: --interface IF --range CIDR [--dump]: one sweep, its answers as
 *           JSON lines, exit 0 (no config file needed)
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "cidr.h"
#include "config.h"
#include "daemon.h"
#include "dump.h"
#include "engine.h"
#include "link.h"
#include "log.h"
#include "name_filter.h"
#include "net.h"
#include "notify.h"
#include "privdrop.h"
#include "report.h"
#include "sandbox.h"
#include "sched.h"

struct options {
	struct daemon_opts d;
	const char *interface;
	bool have_range;
	struct cidr_list range;
	bool once, dump;
	unsigned rate, tries;       /* 0 = config / default */
};

static void usage(void)
{
	printf("usage: netmon-arpd [-c FILE] [--check-config] [-i IF] [--range CIDR,...] [--dump]\n"
	       "       netmon-arpd --once -i IF --range CIDR,... [--dump] [--rate N] [--tries N]\n"
	       "  -c, --config FILE     configuration file (default %s)\n"
	       "      --check-config    validate the configuration, print it, exit 0/1\n"
	       "  -i, --interface IF    sweep and listen on IF instead of [agent] interface\n"
	       "      --range LIST      addresses to sweep (IPv4 CIDRs, at most a /16)\n"
	       "      --once            one sweep, then exit (no config file needed)\n"
	       "      --dump            print the answers (--once) or the table at exit as JSON lines\n"
	       "      --rate N          ARP requests per second (default %u, arp-scan's default)\n"
	       "      --tries N         requests per silent address (default %u)\n"
	       "  -h, --help            this help\n"
	       "  -V, --version         print the version\n",
	       NETMON_DEFAULT_CONFIG, SWEEP_DEFAULT_RATE, SWEEP_DEFAULT_TRIES);
}

static unsigned parse_uint(const char *opt, const char *s, unsigned max)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || v == 0 || v > max)
		daemon_usage_error("%s: '%s' is not a number from 1 to %u", opt, s, max);
	return (unsigned)v;
}

static void parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_RANGE = DAEMON_OPT_ROLE_FIRST, OPT_ONCE, OPT_DUMP, OPT_RATE, OPT_TRIES };
	static const struct option longopts[] = {
		DAEMON_LONGOPTS
		{ "interface", required_argument, NULL, 'i' },
		{ "range", required_argument, NULL, OPT_RANGE },
		{ "once", no_argument, NULL, OPT_ONCE },
		{ "dump", no_argument, NULL, OPT_DUMP },
		{ "rate", required_argument, NULL, OPT_RATE },
		{ "tries", required_argument, NULL, OPT_TRIES },
		{ NULL, 0, NULL, 0 },
	};
	char err[256];
	int ch;

	memset(o, 0, sizeof(*o));
	daemon_opts_init(&o->d);
	while ((ch = getopt_long(argc, argv, DAEMON_SHORTOPTS "i:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i': o->interface = optarg; break;
		case OPT_RANGE:
			if (cidr_list_parse(optarg, &o->range, err, sizeof(err)) != 0)
				daemon_usage_error("--range: %s", err);
			o->have_range = true;
			break;
		case OPT_ONCE: o->once = true; break;
		case OPT_DUMP: o->dump = true; break;
		case OPT_RATE: o->rate = parse_uint("--rate", optarg, 10000); break;
		case OPT_TRIES: o->tries = parse_uint("--tries", optarg, 10); break;
		default: daemon_common_option(ch, &o->d, usage, argv);
		}
	}
	daemon_no_operands(argc, argv);
	if (o->once && (!o->interface || !o->have_range) && !o->d.config_given)
		daemon_usage_error("--once needs --interface and --range (or -c FILE)");
}

static void log_event(const struct dev_event *ev, void *arg)
{
	(void)arg;
	char a[ADDR_STRLEN], m1[MAC_STRLEN], m2[MAC_STRLEN];
	uint8_t b[4] = { (uint8_t)(ev->ip >> 24), (uint8_t)(ev->ip >> 16), (uint8_t)(ev->ip >> 8),
			 (uint8_t)ev->ip };
	addr_format(AF_INET, b, a, sizeof(a));
	if (ev->kind == EV_FLIP_FLOP)
		log_warnx("flip flop: %s is claimed by both %s and %s", a,
			  mac_format(ev->old_mac, m1, sizeof(m1)), mac_format(ev->new_mac, m2, sizeof(m2)));
	else
		log_warnx("%s moved from %s to %s", a, mac_format(ev->old_mac, m1, sizeof(m1)),
			  mac_format(ev->new_mac, m2, sizeof(m2)));
}

/* Wait for a frame until `until_ns` (monotonic), nanosecond-precise: the
 * sweep's pacing is 2 ms per request at the default rate. */
/* Frames on fd, or until_ns; also room on out_fd when it is not -1 (a
 * generation of the table waits for it). */
static void wait_frames(int fd, int out_fd, uint64_t until_ns)
{
	uint64_t now = mono_ns();
	uint64_t d = until_ns > now ? until_ns - now : 0;
	struct timespec ts = { .tv_sec = (time_t)(d / NSEC_PER_SEC), .tv_nsec = (long)(d % NSEC_PER_SEC) };
	struct pollfd pfd[2] = { { .fd = fd, .events = POLLIN }, { .fd = out_fd, .events = POLLOUT } };
	if (ppoll(pfd, out_fd < 0 ? 1 : 2, &ts, NULL) < 0 && errno != EINTR)
		fatal("ppoll");
}

static void drain(struct arpd_engine *e, struct arpd_net *n)
{
	uint8_t frame[2048];   /* the filter cuts frames at ARPD_FILTER_SNAPLEN */
	_Static_assert(sizeof(frame) >= ARPD_FILTER_SNAPLEN, "receive buffer below the snaplen");
	ssize_t r;
	while ((r = arpd_net_recv(n, frame, sizeof(frame))) > 0)
		arpd_engine_frame(e, frame, (size_t)r, mono_ns(), realtime_ns());
	if (r < 0)
		fatal("receiving on '%s'", n->ifname);
}

/* Send what the sweep has due now. */
static void sweep_send(struct arpd_engine *e, struct arpd_net *n)
{
	uint32_t ip;
	while (sweep_next(&e->sweep, mono_ns(), &ip))
		arpd_net_send_request(n, ip);
}

static void engine_setup(struct arpd_engine *e, const struct arpd_net *n, uint32_t max_devices,
			 unsigned timeout_s, unsigned forget_s)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->own_mac, n->mac, 6);
	e->own_ipv4 = n->ipv4;
	e->on_event = log_event;
	if (devtable_init_random(&e->table, max_devices, (uint64_t)timeout_s * NSEC_PER_SEC,
				 (uint64_t)forget_s * NSEC_PER_SEC) != 0)
		fatalx("cannot allocate a table of %u devices", max_devices);
}

static int run_once(const struct options *o)
{
	struct netmon_config cfg;
	char err[512];
	config_defaults(&cfg);
	if (o->d.config_given)
		daemon_config(&cfg, o->d.config_path, false, ROLE_ARPD);
	if (o->interface)
		snprintf(cfg.interface, sizeof(cfg.interface), "%s", o->interface);
	if (o->have_range)
		cfg.scan_range = o->range;
	unsigned rate = o->rate ? o->rate : cfg.scan_rate;
	unsigned tries = o->tries ? o->tries : cfg.scan_tries;

	struct sweep sw;              /* a bad range is refused before anything is opened */
	if (sweep_init(&sw, &cfg.scan_range, rate, tries, err, sizeof(err)) != 0)
		fatalx("%s", err);
	struct arpd_net net;
	if (arpd_net_open(&net, cfg.interface, err, sizeof(err)) != 0)
		fatalx("%s", err);
	struct arpd_engine e;
	engine_setup(&e, &net, cfg.arpd_max_devices, cfg.device_timeout_seconds, cfg.forget_seconds);
	e.sweep = sw;
	sweep_exclude(&e.sweep, net.ipv4);
	/* no reporter; as root without a config file it becomes nobody, as
	 * capd --read does (a config may name a user this machine lacks) */
	const char *user = o->d.config_given ? config_user_for(&cfg, ROLE_ARPD) : "nobody";
	struct priv_user pu;
	if (priv_lookup(user, &pu, err, sizeof(err)) != 0)
		user = "nobody";
	daemon_confine_as(user, ROLE_ARPD, o->dump ? SANDBOX_STDOUT : 0, false);
	daemon_test_hooks(&o->d);

	e.sweeping = true;
	uint64_t t0 = mono_ns();
	while (!daemon_stop) {
		drain(&e, &net);
		sweep_send(&e, &net);
		uint64_t now = mono_ns();
		if (sweep_done(&e.sweep, now))
			break;
		wait_frames(net.fd, -1, sweep_wake_ns(&e.sweep, now));
	}
	const struct sweep_stats *st = &e.sweep.st;
	log_info("swept %u addresses on %s in %.3f s: %u answered, %llu requests (%llu retries), "
		 "%llu duplicate and %llu conflicting replies, slowest reply %.1f ms",
		 e.sweep.n, net.ifname, (double)(mono_ns() - t0) / 1e9, sweep_found(&e.sweep),
		 (unsigned long long)st->requests, (unsigned long long)st->retries,
		 (unsigned long long)st->duplicates, (unsigned long long)st->conflicts,
		 (double)st->rtt_max_ns / 1e6);
	int status = EXIT_SUCCESS;
	if (o->dump && arpd_dump_sweep(&e.sweep, stdout) != 0)
		status = EXIT_FAILURE;
	arpd_net_close(&net);
	sweep_free(&e.sweep);
	devtable_free(&e.table);
	return status;
}

static int run_daemon(const struct options *o)
{
	struct netmon_config cfg;
	char err[512];
	daemon_config(&cfg, o->d.config_path, o->d.check_only, ROLE_ARPD);
	if (o->interface)
		snprintf(cfg.interface, sizeof(cfg.interface), "%s", o->interface);
	if (o->have_range)
		cfg.scan_range = o->range;
	if (o->rate)
		cfg.scan_rate = o->rate;
	if (o->tries)
		cfg.scan_tries = o->tries;
	if (cfg.forget_seconds < cfg.device_timeout_seconds)
		fatalx("[arpd] forget_seconds (%u) is shorter than device_timeout_seconds (%u)",
		       cfg.forget_seconds, cfg.device_timeout_seconds);
	daemon_signals();

	if (cfg.active_scan) {       /* refuse a bad range now, not at the first sweep */
		struct sweep sw;
		if (sweep_init(&sw, &cfg.scan_range, cfg.scan_rate, cfg.scan_tries, err,
			       sizeof(err)) != 0)
			fatalx("[arpd] scan_range: %s", err);
		sweep_free(&sw);
	}
	struct arpd_net net;
	if (arpd_net_open(&net, cfg.interface, err, sizeof(err)) != 0)
		fatalx("%s", err);
	struct arpd_engine e;
	engine_setup(&e, &net, cfg.arpd_max_devices, cfg.device_timeout_seconds, cfg.forget_seconds);
	if (oui_load(&e.oui, OUI_DEFAULT_PATH, err, sizeof(err)) != 0)
		log_warnx("no vendor names: %s (install ieee-data)", err);
	struct helper_link link;
	if (link_init(&link, ROLE_ARPD, cfg.run_dir) != 0)
		fatalx("run_dir '%s' is too long for a socket path", cfg.run_dir);
	static struct arpd_report rep;
	if (arpd_report_init(&rep) != 0)
		fatalx("out of memory");
	struct notify sd;
	notify_open(&sd);
	daemon_confine_as(config_user_for(&cfg, ROLE_ARPD), ROLE_ARPD,
			  o->dump ? SANDBOX_STDOUT : 0, true);
	daemon_test_hooks(&o->d);
	notify_ready(&sd, mono_ns());
	log_info("listening on %s (%zu vendors)%s", net.ifname, e.oui.n,
		 cfg.active_scan ? ", sweeping" : ", passive only");

	struct sched tick, sweeps;
	uint64_t t0 = mono_ns();
	sched_init(&tick, NSEC_PER_SEC, t0);
	sched_init(&sweeps, (uint64_t)cfg.scan_interval_seconds * NSEC_PER_SEC, t0);
	bool sweep_due = cfg.active_scan;     /* once at start */
	while (!daemon_stop) {
		drain(&e, &net);
		uint64_t now = mono_ns();
		notify_watchdog(&sd, now);
		if (cfg.active_scan && sched_due(&sweeps, now))
			sweep_due = true;
		if (sweep_due && !e.sweeping) {
			if (sweep_init(&e.sweep, &cfg.scan_range, cfg.scan_rate, cfg.scan_tries, err,
				       sizeof(err)) != 0)
				fatalx("%s", err);
			sweep_exclude(&e.sweep, net.ipv4);
			e.sweeping = true;
			sweep_due = false;
		}
		if (e.sweeping) {
			sweep_send(&e, &net);
			if (sweep_done(&e.sweep, mono_ns())) {
				log_info("sweep: %u of %u addresses answered, %llu requests",
					 sweep_found(&e.sweep), e.sweep.n,
					 (unsigned long long)e.sweep.st.requests);
				e.sweeps_done++;
				e.last_found = sweep_found(&e.sweep);
				e.last_swept = e.sweep.n;
				e.sweeping = false;
				sweep_free(&e.sweep);
			}
		}
		now = mono_ns();
		if (sched_due(&tick, now)) {
			devtable_age(&e.table, now);
			if (link_service(&link, now)) {
				arpd_report_send(&rep, &e, &link);
				link_send_heartbeat(&link, now);
			}
		} else if (rep.in_flight && link_connected(&link)) {
			arpd_report_flush(&rep, &e, &link);
		}
		uint64_t wake = tick.next_ns;
		if (e.sweeping && sweep_wake_ns(&e.sweep, now) < wake)
			wake = sweep_wake_ns(&e.sweep, now);
		if (cfg.active_scan && !e.sweeping && sweeps.next_ns < wake)
			wake = sweeps.next_ns;
		wait_frames(net.fd, rep.in_flight && link_connected(&link) ? link_fd(&link) : -1, wake);
	}
	log_info("stopping: %llu frames, %llu ARP, %llu ND, %u devices, %llu evictions, %llu events",
		 (unsigned long long)e.parse.frames, (unsigned long long)e.parse.arp,
		 (unsigned long long)e.parse.nd, devtable_count(&e.table),
		 (unsigned long long)e.table.evictions, (unsigned long long)e.table.events_total);
	notify_stopping(&sd);
	int status = EXIT_SUCCESS;
	if (o->dump && arpd_dump_table(&e, stdout) != 0)
		status = EXIT_FAILURE;
	link_close(&link);
	arpd_net_close(&net);
	if (e.sweeping)
		sweep_free(&e.sweep);
	arpd_report_free(&rep);
	oui_free(&e.oui);
	devtable_free(&e.table);
	return status;
}

int main(int argc, char **argv)
{
	struct options o;
	/* stdout's buffer now: glibc would otherwise probe the terminal
	 * (ioctl) at the first write, after the sandbox forbids it */
	static char outbuf[1 << 16];
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	log_init("netmon-arpd");
	daemon_close_inherited();
	parse_options(argc, argv, &o);
	daemon_signals();
	if (o.once && !o.d.check_only)
		return run_once(&o);
	return run_daemon(&o);
}
