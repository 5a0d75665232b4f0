/*
 * The otlp:URL output's body: one snapshot as an OTLP/HTTP JSON
 * ExportMetricsServiceRequest (opentelemetry-proto collector/metrics/v1),
 * rendered from the same metric table as prometheus: (metricmap.c).
 * Cumulative sums carry a start time that does not move while the series
 * continues: the host's boot for kernel counters, the start of netmon's
 * totals (agent.totalsSince in the payload, which survives reporter
 * restarts) for netmon's own.
 */
#ifndef NETMON_REPORTER_OTLP_H
#define NETMON_REPORTER_OTLP_H

#include <jansson.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metricmap.h"
#include "textbuf.h"

#define OTLP_RESPONSE_MAX 16384     /* a longer response body is not parsed */

/* Append the request for src to b as compact JSON (the reporter's path: the
 * state's device view, no payload parse). false when src->snap has no valid
 * snapshotTime (nothing appended then) or out of memory. */
bool otlp_serialize_buf(struct textbuf *b, const struct metric_source *src);
/* The request as compact JSON text (malloc'd, NUL-terminated, *len without
 * the NUL), or NULL when snap has no valid snapshotTime (or out of memory). */
char *otlp_serialize(const json_t *snap, size_t *len);
/* The same request as a jansson object (for tests and tools). */
json_t *otlp_build(const json_t *snap);
/* The request for one payload line as compact JSON (malloc'd, *len without
 * the NUL), or NULL when the line does not parse or has no snapshotTime. */
char *otlp_render(const char *payload, size_t len, size_t *out_len);

/* An ExportMetricsServiceResponse body (untrusted: any bytes, len bounded by
 * OTLP_RESPONSE_MAX) read for partialSuccess only. Returns 1 when it reports
 * rejected data points or an error message: *rejected (0 when absent) and
 * msg, printable ASCII, truncated to msglen; 0 for a full success, an empty
 * body, or anything not understood (a 2xx is a success either way). */
int otlp_partial_success(const char *body, size_t len, uint64_t *rejected, char *msg,
			 size_t msglen);

#endif
