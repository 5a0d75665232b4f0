/*
 * arpd → reporter: once a second its totals (ARP_STATS), its whole device
 * table as one generation of ARP_DEVICES parts, and its events (ARP_EVENTS)
 * when there are any (docs/protocol.md). Totals and events that find the
 * socket full are dropped and counted by the link (the next second's
 * supersede them). The table's parts are never dropped: a generation bigger
 * than the socket's buffer (thousands of devices with names) would then
 * never arrive whole. A part that finds the socket full waits, and the
 * generation goes on from there when the socket drains; no new generation
 * starts while one is in flight.
 */
#ifndef ARPD_REPORT_H
#define ARPD_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "link.h"
#include "wire.h"

#define ARPD_REPORT_PER_RECORD ((WIRE_MAX_LEN - WIRE_HDR_LEN - WIRE_ARP_DEVICES_HDR_LEN) / \
				WIRE_ARP_DEVICE_MIN)

struct arpd_report {
	uint64_t generation;
	bool in_flight;                 /* a generation is partly sent */
	uint16_t part, parts;           /* the next part to send, of how many */
	uint32_t at;                    /* the table entry that part starts at */
	uint64_t removals;              /* the table's removals when the generation began */
	uint64_t restarts;              /* generations begun again (the table outgrew them) */
	uint64_t link_connects;         /* the connection the generation in flight is on */
	uint8_t buf[WIRE_MAX_LEN];
	struct wire_arp_device *devs;   /* ARPD_REPORT_PER_RECORD */
};

int arpd_report_init(struct arpd_report *r);
void arpd_report_free(struct arpd_report *r);

/* One table entry as the wire shows it. */
void arpd_wire_device(const struct arpd_engine *e, const struct dev_entry *d,
		      struct wire_arp_device *out);
void arpd_wire_stats(const struct arpd_engine *e, struct wire_arp_stats *out);

/* Where a part goes: LINK_SENT, LINK_BLOCKED (try the same part again
 * later) or LINK_DOWN (the generation is abandoned: a reconnect starts a new
 * one). The record's bytes stay valid until it returns. */
typedef enum link_result (*arpd_send_fn)(void *arg, const void *rec, size_t len);

/* Begin a new generation of the table unless one is in flight. */
void arpd_report_table_start(struct arpd_report *r, const struct arpd_engine *e);
/* Send the parts of the generation in flight, each encoded from the table as
 * it is now, until the socket is full; true when no part is left. The table
 * may change in between: parts continue where the last one ended, and a
 * generation the table outgrew (its last part cannot hold the rest) begins
 * again under a new number. */
bool arpd_report_table_continue(struct arpd_report *r, const struct arpd_engine *e,
				uint64_t (*next_seq)(void *arg), arpd_send_fn send, void *arg);
/* Everything for this second on the link. */
void arpd_report_send(struct arpd_report *r, const struct arpd_engine *e, struct helper_link *l);
/* The rest of a generation that found the socket full; true when none is left. */
bool arpd_report_flush(struct arpd_report *r, const struct arpd_engine *e, struct helper_link *l);

#endif
