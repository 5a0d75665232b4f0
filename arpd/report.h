/*
 * arpd → reporter: once a second its totals (ARP_STATS), its whole device
 * table as one generation of ARP_DEVICES parts, and its events (ARP_EVENTS)
 * when there are any (docs/protocol.md). Records that find the socket full
 * are dropped and counted by the link: the next second's generation
 * supersedes a broken one.
 */
#ifndef ARPD_REPORT_H
#define ARPD_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "link.h"
#include "wire.h"

#define ARPD_REPORT_PER_RECORD ((WIRE_MAX_LEN - WIRE_HDR_LEN - WIRE_ARP_DEVICES_HDR_LEN) / \
				WIRE_ARP_DEVICE_MIN)

struct arpd_report {
	uint64_t generation;
	uint8_t buf[WIRE_MAX_LEN];
	struct wire_arp_device *devs;   /* ARPD_REPORT_PER_RECORD */
};

int arpd_report_init(struct arpd_report *r);
void arpd_report_free(struct arpd_report *r);

/* One table entry as the wire shows it. */
void arpd_wire_device(const struct arpd_engine *e, const struct dev_entry *d,
		      struct wire_arp_device *out);
void arpd_wire_stats(const struct arpd_engine *e, struct wire_arp_stats *out);

/* Encode the whole table as one generation; `emit` gets each record (its
 * bytes stay valid until emit returns). Returns the number of parts. */
unsigned arpd_report_table(struct arpd_report *r, const struct arpd_engine *e,
			   uint64_t (*next_seq)(void *arg),
			   void (*emit)(void *arg, const void *rec, size_t len), void *arg);
/* Everything for this second on the link. */
void arpd_report_send(struct arpd_report *r, const struct arpd_engine *e, struct helper_link *l);

#endif
