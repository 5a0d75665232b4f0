/*
 * The reporter's view of capd's counters, per key (MAC, IPv4, IPv6), made
 * monotonic across helper restarts and table evictions.
 *
 * capd sends cumulative counters tagged with its instance id and the table
 * entry's creation serial. When either changes for a key, the counters
 * restarted from zero: what we had is banked into `base` and the new values
 * continue on top. Totals therefore never go backwards and nothing is
 * counted twice, however often a record is repeated or capd restarts.
 *
 * The first time the reporter sees a key, its totals are a baseline, not this
 * window's traffic: after a reporter restart a key may arrive with a terabyte
 * already counted. Its rate starts from the second sighting.
 *
 * Storage is the shared keyed table (common/keytab.h): the keys are chosen by
 * whoever sends frames on the LAN, so the hash is keyed. MACs and IP
 * addresses have separate tables, each of its own capacity, so a flood of
 * new MACs cannot evict the IP addresses' banked totals (or the reverse).
 * When a table is full its CLOCK sweep replaces an entry not updated since
 * the hand last passed; replacements are counted.
 */
#ifndef NETMON_REPORTER_DEVTAB_H
#define NETMON_REPORTER_DEVTAB_H

#include <stddef.h>
#include <stdint.h>

#include "keytab.h"
#include "wire.h"

enum { DEV_RX_BYTES, DEV_TX_BYTES, DEV_RX_PACKETS, DEV_TX_PACKETS, DEV_NCOUNTERS };

struct dev_entry {
	KEYTAB_ENTRY_HEAD;              /* kind (enum wire_key_kind), key = the address */
	uint64_t instance_id;           /* capd instance of `cur` */
	uint64_t created;               /* capd table serial of `cur` */
	uint64_t base[DEV_NCOUNTERS];   /* banked from earlier instances/entries */
	uint64_t cur[DEV_NCOUNTERS];    /* latest cumulative values */
	uint64_t window_start[DEV_NCOUNTERS]; /* totals at the previous snapshot or first sighting */
	uint64_t changed_ns;            /* monotonic, last time a counter grew */
};

struct devtab {
	struct keytab mac;              /* WIRE_KEY_MAC */
	struct keytab ip;               /* WIRE_KEY_IPV4 and WIRE_KEY_IPV6 */
	uint64_t resets;                /* counters that went backwards within one entry */
};

/* Capacities 1..KEYTAB_MAX_CAPACITY; the hash keys come from getrandom(). 0 or -1. */
int devtab_init(struct devtab *t, size_t mac_capacity, size_t ip_capacity);
void devtab_free(struct devtab *t);
/* Merge one device record from capd instance `instance_id`. */
void devtab_update(struct devtab *t, uint64_t instance_id, const struct wire_device *d,
		   uint64_t now_ns);
/* The entry of (kind, addr), or NULL. */
const struct dev_entry *devtab_find(const struct devtab *t, uint8_t kind, const uint8_t addr[16]);
uint64_t devtab_total(const struct dev_entry *e, int counter);
/* Entries dropped because their table was full. */
uint64_t devtab_replaced(const struct devtab *t);
/* Start a new rate window: remember current totals. */
void devtab_mark_window(struct devtab *t);

/* Iteration over one table (&t->mac or &t->ip): entries 0..keytab_count()-1. */
static inline const struct dev_entry *devtab_at(const struct keytab *kt, uint32_t i)
{
	return (const struct dev_entry *)(const void *)keytab_at_stride(kt, i, sizeof(struct dev_entry));
}

#endif
