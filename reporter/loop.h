/*
 * The reporter's one event loop: a single wait on the hub's sockets, the
 * outputs that have something queued and libcurl's transfer (through
 * curl_multi_poll, which takes our descriptors as extra fds), c-ares's
 * reverse DNS sockets, bounded by the
 * next cycle instant, the next delivery attempt and a 1 s tick for reaping
 * silent helpers. Nothing it waits on can block the cycle: every descriptor
 * is non-blocking and every transfer runs inside the multi handle.
 */
#ifndef NETMON_REPORTER_LOOP_H
#define NETMON_REPORTER_LOOP_H

#include <stdint.h>

#include "delivery.h"
#include "hub.h"
#include "output.h"
#include "resolver.h"
#include "sched.h"

#define LOOP_MAX_FDS (HUB_ROLES + HUB_MAX_CONNS + CONFIG_OUTPUTS_MAX + RESOLVER_MAX_FDS)

struct loop {
	struct hub *hub;
	struct output_set *out;
	struct delivery *dlv;       /* NULL without the http output */
	struct resolver *res;       /* reverse DNS; NULL with resolve_names = no */
	struct sched *cycle;
	/* called when a cycle instant has come, before anything else is served
	 * (so the snapshot's time is as close to its instant as possible) */
	void (*cycle_due)(void *ctx);
	void *ctx;
};

/* Wait until something is ready or a deadline comes, then run a due cycle
 * and serve the hub, the outputs and delivery. Returns the monotonic time
 * after the wait. */
uint64_t loop_once(struct loop *l);

#endif
