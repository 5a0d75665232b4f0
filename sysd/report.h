/*
 * The sample, as records for the reporter (docs/protocol.md types 16-18):
 * SYS_METRICS, SYS_DISKS, SYS_IFACES, one of each per cycle. Each record
 * carries state (cumulative counters, the latest usage), so a lost one is
 * superseded by the next.
 */
#ifndef NETMON_SYSD_REPORT_H
#define NETMON_SYSD_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "sample.h"
#include "wire.h"

struct helper_link;

struct sysd_report {
	uint8_t buf[WIRE_MAX_LEN];
	struct wire_sys_metrics metrics;
	struct wire_sys_disk disks[MOUNT_MAX];
	struct wire_sys_iface ifaces[NETIF_MAX];
	uint64_t left_out;         /* entries that did not fit a record */
};

/* Fill the record structures from the latest sample. */
void sysd_report_metrics(const struct sysd_sampler *s, struct wire_sys_metrics *out);
size_t sysd_report_disks(const struct sysd_sampler *s, struct wire_sys_disk *out, size_t cap);
size_t sysd_report_ifaces(const struct sysd_sampler *s, struct wire_sys_iface *out, size_t cap);

/* Encode into r->buf: returns the record length (entries that do not fit
 * in one record are left out, counted and logged). */
size_t sysd_report_encode(struct sysd_report *r, const struct sysd_sampler *s, uint8_t type,
			  uint64_t seq);
/* Send all three on the link. */
void sysd_report_send(struct sysd_report *r, const struct sysd_sampler *s,
		      struct helper_link *l);

#endif
