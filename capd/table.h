/*
 * capd's accounting table: fixed capacity, allocated once, never allocates
 * per packet. Keys are (kind, 16 bytes): a MAC, an IPv4 or an IPv6 address,
 * zero-padded. Values are cumulative u64 counters plus a creation serial.
 *
 * Layout: a dense array of `capacity` entries, and an index of 2^k >= 2 x
 * capacity buckets (linear probing, load <= 50%) holding a 32-bit hash tag and
 * the entry's position. The hash is keyed with a random seed, so an attacker
 * choosing addresses cannot aim at one probe run.
 *
 * When full, a CLOCK (second chance) sweep picks the victim: every hit sets
 * the entry's referenced bit; the hand walks the entries, clearing set bits,
 * and evicts the first entry whose bit is clear, i.e. one not seen since the
 * hand last passed it. The new key takes the victim's place just behind the
 * hand, so it survives a whole sweep. Evictions are counted. Details in
 * docs/accounting.md.
 */
#ifndef NETMON_CAPD_TABLE_H
#define NETMON_CAPD_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define CAPD_TABLE_MAX_CAPACITY (1u << 24)
#define CAPD_TABLE_DEFAULT_CAPACITY 65536u

enum capd_key_kind {
	CAPD_KEY_MAC = 1,
	CAPD_KEY_IPV4 = 2,
	CAPD_KEY_IPV6 = 3,
};

/* One cache line. Counters are cumulative since the entry's creation. */
struct capd_table_entry {
	uint8_t kind;                  /* enum capd_key_kind */
	uint8_t referenced;            /* CLOCK bit */
	uint8_t dirty;                 /* changed since last sent (live mode) */
	uint8_t pad;
	uint32_t bucket;               /* index bucket pointing here */
	uint8_t key[16];
	uint64_t rx_bytes, tx_bytes;
	uint64_t rx_packets, tx_packets;
	uint64_t serial;               /* unique per insertion in this process, from 1 */
};

struct capd_table_bucket {
	uint32_t tag;                  /* low 32 bits of the key's hash */
	uint32_t entry;                /* entry index + 1; 0 = empty bucket */
};

struct capd_table {
	struct capd_table_entry *entries;
	struct capd_table_bucket *buckets;
	uint32_t capacity;             /* max entries */
	uint32_t count;                /* entries in use: 0..capacity */
	uint32_t mask;                 /* buckets - 1 */
	uint32_t hand;                 /* CLOCK hand, an entry index */
	uint64_t seed[2];
	uint64_t next_serial;
	uint64_t evictions;
	size_t buckets_mapped, entries_mapped;  /* mapping sizes, for munmap */
};

/* Allocate for `capacity` entries (1..CAPD_TABLE_MAX_CAPACITY). seed is the
 * hash key (pass random bytes; tests may pass fixed ones). 0 or -1 (errno). */
int capd_table_init(struct capd_table *t, uint32_t capacity, const uint64_t seed[2]);
void capd_table_free(struct capd_table *t);

/* Build a 16-byte key from an address of `len` bytes (6, 4 or 16). */
static inline void capd_table_key(uint8_t key[16], const uint8_t *addr, size_t len)
{
	if (len > 16)
		len = 16;
	memset(key, 0, 16);
	memcpy(key, addr, len);
}

/* 64x64 -> 128 multiply folded to 64 bits: a fast, strong keyed mix. */
static inline uint64_t capd_table_mum(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* The keyed hash of (kind, key). Exposed so the per-packet path can hash
 * every key of a frame first and prefetch their buckets together. */
static inline uint64_t capd_table_hash(const struct capd_table *t, uint8_t kind,
				       const uint8_t key[16])
{
	uint64_t a, b;
	memcpy(&a, key, 8);
	memcpy(&b, key + 8, 8);
	return capd_table_mum(a ^ t->seed[0], b ^ t->seed[1] ^ ((uint64_t)kind << 56));
}

/* Start loading the bucket a hash starts probing at (a hint; no effect on
 * results). Lets the cache misses of a frame's keys overlap. */
static inline void capd_table_prefetch(const struct capd_table *t, uint64_t hash)
{
	__builtin_prefetch(&t->buckets[(uint32_t)hash & t->mask]);
}

/* The entry for (kind, key): found, or inserted with zero counters (evicting
 * one when full). Never NULL after a successful init. The pointer is valid
 * until the next call. `hash` must be capd_table_hash(t, kind, key). */
struct capd_table_entry *capd_table_get_hashed(struct capd_table *t, uint8_t kind,
					       const uint8_t key[16], uint64_t hash);

static inline struct capd_table_entry *capd_table_get(struct capd_table *t, uint8_t kind,
						      const uint8_t key[16])
{
	return capd_table_get_hashed(t, kind, key, capd_table_hash(t, kind, key));
}

/* The entry for (kind, key) if present, else NULL; does not touch the CLOCK bit. */
const struct capd_table_entry *capd_table_find(const struct capd_table *t, uint8_t kind,
					       const uint8_t key[16]);

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
