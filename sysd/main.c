/*
 * netmon-sysd: system metrics (CPU, memory, disks, uptime, interfaces).
 * Never privileged. This is the skeleton of issue #2: it confines itself,
 * connects to the reporter and sends a heartbeat each second.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "daemon.h"
#include "link.h"
#include "log.h"
#include "notify.h"
#include "sched.h"

int main(int argc, char **argv)
{
	struct daemon_opts o;
	struct netmon_config cfg;
	daemon_start(argc, argv, "netmon-sysd", ROLE_SYSD, &o, &cfg);

	struct helper_link link;
	if (link_init(&link, ROLE_SYSD, cfg.run_dir) != 0)
		fatalx("run_dir '%s' is too long for a socket path", cfg.run_dir);
	struct notify sd;
	notify_open(&sd);
	daemon_confine(&cfg, ROLE_SYSD);
	daemon_test_hooks(&o);
	notify_ready(&sd, mono_ns());

	struct sched tick;
	sched_init(&tick, NSEC_PER_SEC, mono_ns());
	while (!daemon_stop) {
		uint64_t now = mono_ns();
		notify_watchdog(&sd, now);
		if (sched_due(&tick, now) && link_service(&link, now))
			link_send_heartbeat(&link, now);
		poll(NULL, 0, sched_timeout_ms(&tick, mono_ns()));
	}
	log_info("stopping");
	notify_stopping(&sd);
	link_close(&link);
	return EXIT_SUCCESS;
}
