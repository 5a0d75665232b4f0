/*
 * netmon-reporter: the unprivileged hub. Owns run_dir and one socket per
 * helper role, merges the helpers' records and emits one snapshot per cycle,
 * at fixed instants. Started as root it prepares run_dir, then drops to its
 * user; it never keeps root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <signal.h>

#include "config.h"
#include "daemon.h"
#include "delivery.h"
#include "hub.h"
#include "log.h"
#include "loop.h"
#include "notify.h"
#include "output.h"
#include "persist.h"
#include "privdrop.h"
#include "rundir.h"
#include "resolver.h"
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

static volatile sig_atomic_t reopen_requested;

static void on_hup(int sig)
{
	(void)sig;
	reopen_requested = 1;
}

/* SIGHUP reopens file outputs (logrotate); SIGTERM/SIGINT come from daemon.c. */
static void catch_hup(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_hup;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
}

struct reporter {
	const struct netmon_config *cfg;
	struct reporter_state st;
	struct snapshot_clock clk;
	struct output_set out;
	struct delivery dlv;
	bool http;
	struct persist persist;
};

static void emit_snapshot(void *ctx)
{
	struct reporter *r = ctx;
	char id[40];
	struct snapshot_clock *clk = &r->clk;

	clk->window_end_mono_ns = mono_ns();
	clk->window_end_real_ns = realtime_ns();
	snapshot_new_id(id, sizeof(id));
	json_t *snap = snapshot_build(r->cfg, &r->st, clk, id);
	if (snap)
		snapshot_add_delivery(snap, &r->out, r->http ? &r->dlv : NULL);
	struct snapshot_line line = { 0 };
	if (snap && snapshot_line_make(&line, r->cfg, snap, &r->st, clk) == 0) {
		/* spooled (and fsynced) first, on every POSTing output: from here on a
		 * crash cannot lose it */
		if (r->http)
			delivery_enqueue(&r->dlv, id, &line);
		outputs_write(&r->out, &line);
	} else {
		log_warnx("cannot build snapshot %s", id);
	}
	snapshot_line_release(&line);
	json_decref(snap);
	devtab_mark_window(&r->st.devices);
	clk->window_start_mono_ns = clk->window_end_mono_ns;
	clk->window_start_real_ns = clk->window_end_real_ns;
	persist_save(&r->persist, &r->st, r->http ? &r->dlv : NULL);
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

	/* the key and state_dir need the start-up privileges, if any */
	char key[DELIVERY_KEY_MAX];
	bool http = delivery_wanted(&cfg);   /* http and/or otlp: */
	if (http && delivery_load_key(cfg.api_key_file, me.uid, key, sizeof(key), err,
				      sizeof(err)) != 0)
		fatalx("%s", err);
	if (persist_prepare_dir(cfg.state_dir, me.uid, me.gid, root, err, sizeof(err)) != 0)
		fatalx("%s", err);
	catch_hup();

	/* the tables are mapped once, before the sandbox: nothing is allocated per key later */
	static struct reporter r;
	if (state_init(&r.st, cfg.max_devices) != 0)
		fatalx("out of memory for %u devices", cfg.max_devices);
	r.st.arp.max_devices = cfg.arpd_max_devices;   /* more than arpd keeps is a lie */
	r.st.devices.networks = &cfg.networks;          /* capd counts no other address */
	/* c-ares reads /etc/resolv.conf now: the sandbox would not let it later */
	struct resolver *res = NULL;
	if (cfg.resolve_names && !(res = resolver_open(&r.st.arp, err, sizeof(err))))
		log_warnx("no reverse DNS names: %s", err);
	struct notify sd;
	notify_open(&sd);
	daemon_confine(&cfg, ROLE_REPORTER);
	daemon_test_hooks(&o);

	r.cfg = &cfg;
	r.http = http;
	if (outputs_open(&r.out, &cfg, err, sizeof(err)) != 0)
		fatalx("%s", err);
	if (http && delivery_open(&r.dlv, &cfg, key, err, sizeof(err)) != 0)
		fatalx("%s", err);
	explicit_bzero(key, sizeof(key));
	struct hub_events ev = state_hub_events(&r.st);
	hub_set_events(&hub, &ev);
	persist_open(&r.persist, cfg.state_dir);
	persist_restore(&r.persist, &r.st, http ? &r.dlv : NULL);

	r.clk = (struct snapshot_clock){
		.window_start_mono_ns = mono_ns(),
		.window_start_real_ns = realtime_ns(),
	};
	r.clk.reporter_start_mono_ns = r.clk.window_start_mono_ns;
	struct sched cycle;
	sched_init(&cycle, (uint64_t)cfg.cycle_seconds * NSEC_PER_SEC, r.clk.window_start_mono_ns);
	log_info("listening in %s, a snapshot every %u s", cfg.run_dir, cfg.cycle_seconds);
	notify_ready(&sd, mono_ns());

	struct loop loop = { .hub = &hub, .out = &r.out, .dlv = http ? &r.dlv : NULL, .res = res,
			     .cycle = &cycle, .cycle_due = emit_snapshot, .ctx = &r };
	while (!daemon_stop) {
		uint64_t now = loop_once(&loop);
		notify_watchdog(&sd, now);
		if (reopen_requested) {
			reopen_requested = 0;
			outputs_reopen(&r.out);
		}
		log_flush();   /* "N similar messages suppressed" when a window ends */
	}
	log_info("stopping");
	notify_stopping(&sd);
	/* a started line is finished, no new one is started on a stalled pipe */
	outputs_finish(&r.out, 2000);
	outputs_close(&r.out);
	if (http)
		delivery_close(&r.dlv);
	persist_close(&r.persist);
	hub_close(&hub);
	resolver_close(res);
	state_free(&r.st);
	return EXIT_SUCCESS;
}
