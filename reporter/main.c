/*
 * netmon-reporter: the unprivileged hub. Owns run_dir and one socket per
 * helper role, merges the helpers' records and emits one snapshot per cycle,
 * at fixed instants. Started as root it prepares run_dir, then drops to its
 * user; it never keeps root.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "hub.h"
#include "log.h"
#include "notify.h"
#include "output.h"
#include "privdrop.h"
#include "rundir.h"
#include "sched.h"
#include "snapshot.h"
#include "state.h"

/* Each helper socket accepts the uid configured for that role, and our own. */
static void allow_helpers(struct hub *h, const struct netmon_config *cfg, uid_t self)
{
	for (int r = 0; r < HUB_ROLES; r++) {
		struct priv_user u;
		char err[256];
		if (priv_lookup(config_user_for(cfg, (enum netmon_role)r), &u, err, sizeof(err)) == 0)
			hub_allow_uid(h, r, u.uid);
		else
			log_debug("%s: %s", role_name(r), err);
		hub_allow_uid(h, r, self);
	}
}

static void emit_snapshot(const struct netmon_config *cfg, struct reporter_state *st,
			  struct snapshot_clock *clk, struct output_set *out)
{
	char id[40];

	clk->window_end_mono_ns = mono_ns();
	clk->window_end_real_ns = realtime_ns();
	snapshot_new_id(id, sizeof(id));
	json_t *snap = snapshot_build(cfg, st, clk, id);
	char *text = snap ? json_dumps(snap, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
	if (text)
		outputs_write(out, snap, text, strlen(text));
	else
		log_warnx("cannot build snapshot %s", id);
	free(text);
	json_decref(snap);
	devtab_mark_window(&st->devices);
	clk->window_start_mono_ns = clk->window_end_mono_ns;
	clk->window_start_real_ns = clk->window_end_real_ns;
}

int main(int argc, char **argv)
{
	struct daemon_opts o;
	struct netmon_config cfg;
	daemon_start(argc, argv, "netmon-reporter", ROLE_REPORTER, &o, &cfg);

	bool root = getuid() == 0 || geteuid() == 0;
	struct priv_user me = { .name = "", .uid = geteuid(), .gid = getegid() };
	char err[512];
	if (root && priv_lookup(config_user_for(&cfg, ROLE_REPORTER), &me, err, sizeof(err)) != 0)
		fatalx("%s", err);
	/* run_dir and its sockets only through a descriptor: see rundir.h */
	int dirfd = rundir_open(cfg.run_dir, me.uid, root, err, sizeof(err));
	if (dirfd < 0)
		fatalx("%s", err);
	struct hub hub;
	if (hub_open(&hub, dirfd, cfg.run_dir, me.uid, me.gid, err, sizeof(err)) != 0)
		fatalx("%s", err);
	if (root && rundir_hand_over(dirfd, cfg.run_dir, me.uid, me.gid, err, sizeof(err)) != 0)
		fatalx("%s", err);
	close(dirfd);
	allow_helpers(&hub, &cfg, me.uid);

	/* the tables are mapped once, before the sandbox: nothing is allocated per key later */
	struct reporter_state st;
	if (state_init(&st, cfg.max_devices) != 0)
		fatalx("out of memory for %u devices", cfg.max_devices);
	struct notify sd;
	notify_open(&sd);
	daemon_confine(&cfg, ROLE_REPORTER);
	daemon_test_hooks(&o);

	struct output_set out;
	if (outputs_open(&out, &cfg, err, sizeof(err)) != 0)
		fatalx("%s", err);
	struct hub_events ev = state_hub_events(&st);
	hub_set_events(&hub, &ev);

	struct snapshot_clock clk = {
		.window_start_mono_ns = mono_ns(),
		.window_start_real_ns = realtime_ns(),
	};
	clk.reporter_start_mono_ns = clk.window_start_mono_ns;
	struct sched cycle;
	sched_init(&cycle, (uint64_t)cfg.cycle_seconds * NSEC_PER_SEC, clk.window_start_mono_ns);
	log_info("listening in %s, a snapshot every %u s", cfg.run_dir, cfg.cycle_seconds);
	notify_ready(&sd, mono_ns());

	while (!daemon_stop) {
		struct pollfd pfd[HUB_ROLES + HUB_MAX_CONNS];
		int n = hub_pollfds(&hub, pfd, (int)(sizeof(pfd) / sizeof(pfd[0])));
		/* wake at least once a second to time out silent peers */
		int timeout = sched_timeout_ms(&cycle, mono_ns());
		if (timeout > 1000)
			timeout = 1000;
		int rc = poll(pfd, (nfds_t)n, timeout);
		if (rc < 0 && errno != EINTR)
			fatal("poll");
		uint64_t now = mono_ns();
		notify_watchdog(&sd, now);
		if (rc > 0)
			hub_dispatch(&hub, pfd, n, now);
		else
			hub_dispatch(&hub, pfd, 0, now);
		if (sched_due(&cycle, now))
			emit_snapshot(&cfg, &st, &clk, &out);
		log_flush();   /* "N similar messages suppressed" when a window ends */
	}
	log_info("stopping");
	notify_stopping(&sd);
	outputs_close(&out);
	hub_close(&hub);
	state_free(&st);
	return EXIT_SUCCESS;
}
