/*
 * Everything the reporter knows between snapshots: each helper's connection
 * state and what its records said. Fed by the hub's events, read by the
 * snapshot builder.
 */
#ifndef NETMON_REPORTER_STATE_H
#define NETMON_REPORTER_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "arpview.h"
#include "devtab.h"
#include "hub.h"
#include "sched.h"
#include "sysview.h"
#include "wire.h"

struct helper_state {
	bool connected;
	bool ever_connected;
	uint64_t instance_id;
	uint32_t pid;
	uint64_t start_time_ns;         /* helper's own start, wall clock */
	uint64_t connected_ns;          /* monotonic */
	uint64_t last_record_ns;        /* monotonic, 0 = none yet */
	uint8_t last_record_type;
	uint64_t records;               /* since the reporter started */
	uint64_t connects;
	uint64_t instances;             /* distinct instances seen (restarts + 1) */
	uint64_t rejected;              /* refused peers on this role's socket */
	uint64_t uptime_ms;             /* from the last heartbeat */
	bool have_heartbeat;            /* uptime_ms is from this connection */
	uint64_t interval_ns;           /* its own reporting interval (heartbeat to heartbeat) */
	uint64_t send_drops;            /* the helper's own count */
	uint64_t refused_heartbeats;    /* uptime going backwards */
};

/* capd's capture totals, made monotonic across capd restarts like devtab. */
struct capture_state {
	bool have_stats;
	uint64_t instance_id;
	struct wire_cap_stats cur;      /* latest from the current instance */
	struct wire_cap_stats base;     /* sums of earlier instances (counters only) */
	uint64_t cur_ns;                /* monotonic, when `cur` arrived */
	uint64_t refused;               /* CAP_STATS records capd could not have sent */
};

/* A connected helper that has sent nothing for more than this many of its own
 * reporting intervals is "stale" (SPEC §7): alive to the socket, silent (a
 * SIGSTOPped or wedged process). The interval is learned from its heartbeats'
 * uptimes; until two have arrived it is the heartbeat period every helper
 * uses today (common/link.c, one a second). */
#define HELPER_STALE_INTERVALS 3
#define HELPER_DEFAULT_INTERVAL_NS NSEC_PER_SEC

struct reporter_state {
	struct helper_state helper[HUB_ROLES];
	struct capture_state capture;
	struct devtab devices;
	struct arpview arp;             /* arpd's table, totals and events */
	struct sysview sys;             /* sysd's latest records */
	uint64_t totals_since_real_ns;  /* when these totals started (persist.c); 0 = not yet */
};

int state_init(struct reporter_state *s, size_t max_devices);
void state_free(struct reporter_state *s);
/* Hub events bound to this state. */
struct hub_events state_hub_events(struct reporter_state *s);

/* "connected", "stale", "missing" (was connected, is not now) or "never-connected". */
const char *helper_state_name(const struct helper_state *h, uint64_t now_mono_ns);

/* Capture totals including earlier capd instances. */
void state_capture_totals(const struct reporter_state *s, struct wire_cap_stats *out);

#endif
