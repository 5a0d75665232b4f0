/*
 * netmon-sysd: system metrics (CPU, memory, disks, uptime, interfaces).
 * Never privileged. This is the skeleton of issue #2: it confines itself,
 * connects to the reporter and sends a heartbeat each second.
 */
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "daemon.h"
#include "link.h"
#include "log.h"
#include "sandbox.h"
#include "sched.h"

static void usage(void)
{
	printf("usage: netmon-sysd [-c FILE] [--check-config]\n"
	       "  -c, --config FILE   configuration file (default %s)\n"
	       "      --check-config  validate the configuration, print it, exit 0/1\n"
	       "  -h, --help          this help\n"
	       "  -V, --version       print the version\n",
	       NETMON_DEFAULT_CONFIG);
}

int main(int argc, char **argv)
{
	enum { OPT_CHECK = 256, OPT_TEST_VIOLATE };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, OPT_CHECK },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
#ifdef NETMON_TEST_HOOKS
		{ "test-violate-sandbox", no_argument, NULL, OPT_TEST_VIOLATE },
#endif
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = NETMON_DEFAULT_CONFIG;
	bool check_only = false, violate = false;
	int ch;

	log_init("netmon-sysd");
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': config_path = optarg; break;
		case OPT_CHECK: check_only = true; break;
		case OPT_TEST_VIOLATE: violate = true; break;
		case 'h': usage(); return EXIT_SUCCESS;
		case 'V': daemon_version();
		default: daemon_option_error(ch, argv);
		}
	}
	if (optind < argc)
		daemon_usage_error("unexpected argument '%s'", argv[optind]);

	struct netmon_config cfg;
	daemon_config(&cfg, config_path, check_only, ROLE_SYSD);
	daemon_signals();

	struct helper_link link;
	if (link_init(&link, ROLE_SYSD, cfg.run_dir) != 0)
		fatalx("run_dir '%s' is too long for a socket path", cfg.run_dir);
	daemon_confine(&cfg, ROLE_SYSD);
#ifdef NETMON_TEST_HOOKS
	if (violate)
		sandbox_test_violation();
#else
	(void)violate;
#endif

	struct sched tick;
	sched_init(&tick, NSEC_PER_SEC, mono_ns());
	while (!daemon_stop) {
		uint64_t now = mono_ns();
		if (sched_due(&tick, now) && link_service(&link, now))
			link_send_heartbeat(&link, now);
		poll(NULL, 0, sched_timeout_ms(&tick, mono_ns()));
	}
	log_info("stopping");
	link_close(&link);
	return EXIT_SUCCESS;
}
