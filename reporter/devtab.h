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

#endif
