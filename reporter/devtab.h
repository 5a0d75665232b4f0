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
 *
 * A record capd could not have sent is refused entry by entry (the entry keeps
 * what it had; docs/protocol.md, "What the reporter refuses"): within one
 * capd entry (same instance and creation serial) a counter that goes down,
 * grows faster than DEVTAB_MAX_BYTES_PER_S / DEVTAB_MAX_PACKETS_PER_S, or
 * counts more frames than bytes; a creation serial lower than the one the key
 * has from the same instance (serials only grow); a key twice in one record;
 * a group (multicast/broadcast) MAC with received traffic (SPEC 4 credits rx
 * only to unicast destinations); an IP address outside `networks`. Totals saturate at WIRE_COUNTER_MAX instead
 * of wrapping (a peer restarting over and over with huge counters).
 */
#ifndef NETMON_REPORTER_DEVTAB_H
#define NETMON_REPORTER_DEVTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cidr.h"
#include "keytab.h"
#include "wire.h"

enum { DEV_RX_BYTES, DEV_TX_BYTES, DEV_RX_PACKETS, DEV_TX_PACKETS, DEV_NCOUNTERS };

/* Faster than any link: 2^40 bytes/s is 8.8 Tbit/s, 2^32 frames/s 3.6 times
 * the minimum-size frames of 800 Gbit/s Ethernet. */
#define DEVTAB_MAX_BYTES_PER_S (1ULL << 40)
#define DEVTAB_MAX_PACKETS_PER_S (1ULL << 32)

/* What devtab_update() did with an entry. */
enum devtab_verdict {
	DEVTAB_OK,
	DEVTAB_BACKWARDS,        /* a counter went down within one capd entry */
	DEVTAB_TOO_FAST,         /* grew faster than any link can carry */
	DEVTAB_FRAMES_GT_BYTES,  /* more frames than bytes */
	DEVTAB_SERIAL_BACKWARDS, /* creation serial lower than before, same instance */
	DEVTAB_DUPLICATE,        /* the key twice in one record */
	DEVTAB_GROUP_RX,         /* a multicast/broadcast MAC credited with received frames */
	DEVTAB_NOT_LOCAL,        /* an IP address outside [agent] networks (capd counts none) */
	DEVTAB_NVERDICTS
};
const char *devtab_verdict_name(enum devtab_verdict v);

struct dev_entry {
	KEYTAB_ENTRY_HEAD;              /* kind (enum wire_key_kind), key = the address */
	uint64_t instance_id;           /* capd instance of `cur` */
	uint64_t created;               /* capd table serial of `cur` */
	uint64_t base[DEV_NCOUNTERS];   /* banked from earlier instances/entries */
	uint64_t cur[DEV_NCOUNTERS];    /* latest cumulative values */
	uint64_t window_start[DEV_NCOUNTERS]; /* totals at the previous snapshot or first sighting */
	uint64_t changed_ns;            /* monotonic, last time a counter grew */
	uint64_t seen_ns;               /* monotonic, last accepted record (0 = none) */
	uint64_t batch;                 /* devtab_begin_batch() number of that record */
	uint8_t rebase;                 /* restored: the next record restarts the rate window */
};

struct devtab {
	struct keytab mac;              /* WIRE_KEY_MAC */
	struct keytab ip;               /* WIRE_KEY_IPV4 and WIRE_KEY_IPV6 */
	uint64_t batch;                 /* the current record's number, 0 = none */
	uint64_t refused[DEVTAB_NVERDICTS]; /* entries refused, by reason */
	uint64_t clamped;               /* totals held at WIRE_COUNTER_MAX */
	const struct cidr_list *networks; /* [agent] networks; NULL or empty: not checked */
};

/* Capacities 1..KEYTAB_MAX_CAPACITY; the hash keys come from getrandom(). 0 or -1. */
int devtab_init(struct devtab *t, size_t mac_capacity, size_t ip_capacity);
void devtab_free(struct devtab *t);
/* Merge one device record from capd instance `instance_id`; a refused entry
 * changes nothing and is counted in t->refused. */
enum devtab_verdict devtab_update(struct devtab *t, uint64_t instance_id,
				  const struct wire_device *d, uint64_t now_ns);
/* The entries that follow come from one new record: a key seen twice in it is
 * refused the second time. */
void devtab_begin_batch(struct devtab *t);
/* The entry of (kind, addr), or NULL. */
const struct dev_entry *devtab_find(const struct devtab *t, uint8_t kind, const uint8_t addr[16]);
uint64_t devtab_total(const struct dev_entry *e, int counter);
/* Entries dropped because their table was full. */
uint64_t devtab_replaced(const struct devtab *t);
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
/* Entries in both tables. */
size_t devtab_count(const struct devtab *t);
/* Iterate every entry (MACs, then addresses): start with *iter = 0; false at the end. */
bool devtab_next(const struct devtab *t, size_t *iter, struct devtab_saved *out);
/* Put a saved entry back. -1 when its table is full (nothing is evicted for
 * it), the key is already there, or the entry is malformed. Its totals
 * continue from the saved values; the bytes capd counted while the reporter
 * was down arrive with its next record, so that record restarts the entry's
 * rate window instead of showing up as one huge rate. */
int devtab_restore(struct devtab *t, const struct devtab_saved *in);

/* Iteration over one table (&t->mac or &t->ip): entries 0..keytab_count()-1. */
static inline const struct dev_entry *devtab_at(const struct keytab *kt, uint32_t i)
{
	return (const struct dev_entry *)(const void *)keytab_at_stride(kt, i, sizeof(struct dev_entry));
}

#endif
