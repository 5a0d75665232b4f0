/*
 * The reporter's view of sysd: the latest SYS_METRICS, SYS_DISKS and
 * SYS_IFACES records, turned into the snapshot's `metrics` and
 * `network.interfaces` (SPEC §7, docs/payload.md). Data older than the
 * caller's limit (three of sysd's reporting cycles) is not shown: a missing
 * sysd shows as missing (agent.helpers.sysd), never as stale numbers.
 */
#ifndef NETMON_REPORTER_SYSVIEW_H
#define NETMON_REPORTER_SYSVIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

struct sysview {
	/* allocated on the first sysd record; NULL until then */
	struct wire_sys_metrics *metrics;
	struct wire_sys_disk *disks;
	struct wire_sys_iface *ifaces;
	size_t ndisks, nifaces;
	uint64_t metrics_ns, disks_ns, ifaces_ns;   /* monotonic arrival, 0 = never */
};

/* Take one validated sysd record (types 16-18); others are ignored. */
void sysview_record(struct sysview *v, const struct wire_msg *m, uint64_t now_ns);
void sysview_free(struct sysview *v);

/* `metrics` of the snapshot: what arrived within max_age_ns of now. */
json_t *sysview_metrics_json(const struct sysview *v, uint64_t now_ns, uint64_t max_age_ns);
/* `network.interfaces`. */
json_t *sysview_interfaces_json(const struct sysview *v, uint64_t now_ns, uint64_t max_age_ns);
/* Link speed of an interface in Mbit/s, 0 when unknown. */
uint64_t sysview_link_speed(const struct sysview *v, const char *ifname, uint64_t now_ns,
			    uint64_t max_age_ns);
#endif
