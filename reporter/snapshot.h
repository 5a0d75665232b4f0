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
#include "metricmap.h"
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

/* The connectedDevices[] of the snapshot that snapshot_text() writes for the
 * same state and clock, as the metric rows read them (metricmap.h). Strings
 * point into st (and out): valid until st changes. 0, or -1 out of memory. */
int snapshot_devices(const struct netmon_config *cfg, const struct reporter_state *st,
		     const struct snapshot_clock *clk, struct metric_devices *out);

/* One finished payload line (snapshot_text()) and what it was written from,
 * for every output of the cycle. The metric outputs (prometheus:, otlp:)
 * render from the state itself: snap, plus the device view made once per
 * cycle. A line without its state (tests) is parsed once instead. */
struct snapshot_line {
	const char *text;
	size_t len;
	const json_t *snap;         /* snapshot_build()'s object (connectedDevices empty), or NULL */
	const struct netmon_config *cfg;
	const struct reporter_state *st;
	const struct snapshot_clock *clk;
	char *owned;                /* text, when snapshot_line_make() made it */
	struct metric_devices devices;
	bool devices_ready;         /* made with the text (snapshot_line_make) */
	/* filled on first use by snapshot_line_metrics() */
	json_t *parsed;
	struct metric_source src;
	bool tried, ok;
};
/* The cycle's line of snap: snapshot_text(), and when cfg has a metric
 * output (prometheus:, otlp:) the device view for it in the same walk.
 * 0, or -1 out of memory; snapshot_line_release() in either case. */
int snapshot_line_make(struct snapshot_line *l, const struct netmon_config *cfg, json_t *snap,
		       const struct reporter_state *st, const struct snapshot_clock *clk);
/* What the metric rows read for this line (NULL: out of memory, or a line
 * without state that does not parse); borrowed until snapshot_line_release,
 * which also frees what snapshot_line_make made. */
const struct metric_source *snapshot_line_metrics(struct snapshot_line *l);
void snapshot_line_release(struct snapshot_line *l);

struct output_set;
struct delivery;
/* agent.delivery (spool depth, dropped snapshots, send failures; dlv may be
 * NULL without the http output) and agent.outputs (per stream output). */
void snapshot_add_delivery(json_t *snap, const struct output_set *out,
			   const struct delivery *dlv);

#endif
