/*
 * Builds one snapshot (SPEC §7) from the reporter's state as a jansson
 * object. The window is the time since the previous snapshot: rates are
 * bits per second over it.
 */
#ifndef NETMON_REPORTER_SNAPSHOT_H
#define NETMON_REPORTER_SNAPSHOT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "state.h"

#define DEVICE_ACTIVE_NS (300ULL * 1000000000ULL)  /* traffic within 5 min = active */

struct snapshot_clock {
	uint64_t window_start_real_ns, window_end_real_ns;   /* wall clock, for timestamps */
	uint64_t window_start_mono_ns, window_end_mono_ns;   /* monotonic, for rates */
	uint64_t reporter_start_mono_ns;
};

/* "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"; buf needs 37 bytes. */
void snapshot_new_id(char *buf, size_t n);

/* Version of the payload format (docs/payload.md), bumped when a field's
 * meaning changes; additions keep it. */
#define SNAPSHOT_SCHEMA_VERSION 2

json_t *snapshot_build(const struct netmon_config *cfg, const struct reporter_state *st,
		       const struct snapshot_clock *clk, const char *snapshot_id);

/* The snapshot as one line of JSON (malloc'd, *len without the NUL):
 * snap (from snapshot_build, with its empty connectedDevices) with the
 * device list written in. NULL when out of memory. */
char *snapshot_text(const struct netmon_config *cfg, json_t *snap,
		    const struct reporter_state *st, const struct snapshot_clock *clk, size_t *len);

/* One finished payload line (snapshot_text()), parsed at most once per cycle
 * for all the outputs that render metrics from it (prometheus:, otlp:): with
 * a thousand devices the parse costs as much as either rendering. */
struct snapshot_line {
	const char *text;
	size_t len;
	json_t *parsed;             /* NULL until asked for */
	bool tried;
};
/* The line as a jansson object (NULL if it does not parse); borrowed. */
const json_t *snapshot_line_json(struct snapshot_line *l);
void snapshot_line_release(struct snapshot_line *l);

struct output_set;
struct delivery;
/* agent.delivery (spool depth, dropped snapshots, send failures; dlv may be
 * NULL without the http output) and agent.outputs (per stream output). */
void snapshot_add_delivery(json_t *snap, const struct output_set *out,
			   const struct delivery *dlv);

#endif
