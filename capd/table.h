/*
 * capd's accounting table: the shared keyed table (common/keytab.h: keyed
 * hash, fixed capacity, CLOCK eviction, no allocation per packet) with capd's
 * entry: cumulative u64 counters plus the head's creation serial. Keys are
 * (kind, 16 bytes): a MAC, an IPv4 or an IPv6 address, zero-padded.
 * Details in docs/accounting.md.
 */
#ifndef NETMON_CAPD_TABLE_H
#define NETMON_CAPD_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "keytab.h"

#define CAPD_TABLE_MAX_CAPACITY KEYTAB_MAX_CAPACITY
#define CAPD_TABLE_DEFAULT_CAPACITY 65536u

enum capd_key_kind {
	CAPD_KEY_MAC = 1,
	CAPD_KEY_IPV4 = 2,
	CAPD_KEY_IPV6 = 3,
};

/* One cache line. Counters are cumulative since the entry's creation. */
struct capd_table_entry {
	KEYTAB_ENTRY_HEAD;             /* kind, referenced, dirty, bucket, key, serial */
	uint64_t rx_bytes, tx_bytes;
	uint64_t rx_packets, tx_packets;
};
_Static_assert(sizeof(struct capd_table_entry) == 64, "one cache line per entry");

/* The keyed table, with capd's typed names for its fields (t->entries[i]). */
struct capd_table {
	union {
		struct keytab kt;
		struct {
			KEYTAB_FIELDS(struct capd_table_entry);
		};
	};
};

/* Allocate for `capacity` entries (1..CAPD_TABLE_MAX_CAPACITY). seed is the
 * hash key (pass random bytes; tests may pass fixed ones). 0 or -1 (errno). */
int capd_table_init(struct capd_table *t, uint32_t capacity, const uint64_t seed[2]);
/* The same with a seed from getrandom(): addresses come from the network,
 * so nobody may predict which of them share a probe run. 0 or -1 (errno). */
int capd_table_init_random(struct capd_table *t, uint32_t capacity);
void capd_table_free(struct capd_table *t);

/* Build a 16-byte key from an address of `len` bytes (6, 4 or 16). */
static inline void capd_table_key(uint8_t key[16], const uint8_t *addr, size_t len)
{
	if (len > 16)
		len = 16;
	memset(key, 0, 16);
	memcpy(key, addr, len);
}

#define capd_key keytab_key
#define capd_key_load keytab_key_load
#define capd_key_mac keytab_key_mac
#define capd_key_ipv4 keytab_key_ipv4

/* The entry for (kind, key): found (its CLOCK bit set), or inserted with zero
 * counters (evicting one when full). Never NULL after a successful init. The
 * pointer is valid until the next call. The per-packet path: inline, with
 * the entry size a constant. */
static inline struct capd_table_entry *capd_table_get_key(struct capd_table *t, uint8_t kind,
							  struct capd_key k)
{
	return (struct capd_table_entry *)(void *)keytab_get_stride(
		&t->kt, kind, k, sizeof(struct capd_table_entry));
}

static inline struct capd_table_entry *capd_table_get(struct capd_table *t, uint8_t kind,
						      const uint8_t key[16])
{
	return capd_table_get_key(t, kind, capd_key_load(key));
}

/* The entry for (kind, key) if present, else NULL; does not touch the CLOCK bit. */
static inline const struct capd_table_entry *capd_table_find(const struct capd_table *t,
							     uint8_t kind, const uint8_t key[16])
{
	return (const struct capd_table_entry *)(void *)keytab_find(&t->kt, kind,
								    capd_key_load(key));
}

/* Iteration for flushing: entries 0..count-1, in no particular order. */
static inline uint32_t capd_table_count(const struct capd_table *t)
{
	return t->count;
}

static inline const struct capd_table_entry *capd_table_at(const struct capd_table *t, uint32_t i)
{
	return &t->entries[i];
}

#endif
