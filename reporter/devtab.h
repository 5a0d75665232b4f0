/*
 * The reporter's view of capd's counters, per key (MAC, IPv4, IPv6), made
 * monotonic across helper restarts and table evictions.
 *
 * capd sends cumulative counters tagged with its instance id and the table
 * entry's creation serial. When either changes for a key, the counters
 * restarted from zero: what we had is banked into `base` and the new values
 * continue on top. Totals therefore never go backwards and nothing is
 * counted twice, however often a record is repeated or capd restarts.
 * Fixed capacity; when full, a CLOCK (second chance) sweep over the slots
 * picks an entry not updated since the hand last passed it, so the cost per
 * insertion stays O(1) amortized even when a flood of new keys arrives every
 * second. Replacements are counted.
 */
#ifndef NETMON_REPORTER_DEVTAB_H
#define NETMON_REPORTER_DEVTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

enum { DEV_RX_BYTES, DEV_TX_BYTES, DEV_RX_PACKETS, DEV_TX_PACKETS, DEV_NCOUNTERS };

struct dev_entry {
	uint8_t kind;                   /* enum wire_key_kind; 0 = free slot */
	uint8_t referenced;             /* CLOCK bit, set by every update */
	uint8_t addr[16];
	uint64_t instance_id;           /* capd instance of `cur` */
	uint64_t created;               /* capd table serial of `cur` */
	uint64_t base[DEV_NCOUNTERS];   /* banked from earlier instances/entries */
	uint64_t cur[DEV_NCOUNTERS];    /* latest cumulative values */
	uint64_t window_start[DEV_NCOUNTERS]; /* totals at the previous snapshot */
	uint64_t changed_ns;            /* monotonic, last time a counter grew */
	uint8_t rebase;                 /* restored: the next record restarts the rate window */
};

struct devtab {
	struct dev_entry *slots;        /* open addressing, linear probing */
	size_t nslots;                  /* power of two, >= 2 x capacity */
	size_t capacity;
	size_t count;
	size_t hand;                    /* CLOCK hand, a slot index */
	uint64_t replaced;              /* entries dropped because the table was full */
	uint64_t resets;                /* counters that went backwards within one entry */
};

int devtab_init(struct devtab *t, size_t capacity);
void devtab_free(struct devtab *t);
/* Merge one device record from capd instance `instance_id`. */
void devtab_update(struct devtab *t, uint64_t instance_id, const struct wire_device *d,
		   uint64_t now_ns);
uint64_t devtab_total(const struct dev_entry *e, int counter);
/* Start a new rate window: remember current totals. */
void devtab_mark_window(struct devtab *t);

/* What survives a reporter restart (reporter/persist.c): a key's identity,
 * the capd entry its counters belong to, and its banked and current values. */
struct devtab_saved {
	uint8_t kind;
	uint8_t addr[16];
	uint64_t instance_id, created;
	uint64_t base[DEV_NCOUNTERS], cur[DEV_NCOUNTERS];
};
/* Iterate the entries: start with *iter = 0; false at the end. */
bool devtab_next(const struct devtab *t, size_t *iter, struct devtab_saved *out);
/* Put a saved entry back (into an empty slot; -1 when full or malformed).
 * Its totals continue from the saved values; the bytes capd counted while
 * the reporter was down arrive with its next record, so that record starts
 * the entry's rate window instead of showing up as one huge rate. */
int devtab_restore(struct devtab *t, const struct devtab_saved *in);

#endif
