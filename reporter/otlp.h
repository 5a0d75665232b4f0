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

/* A new request object, or NULL when snap has no valid snapshotTime. */
json_t *otlp_build(const json_t *snap);

#endif
