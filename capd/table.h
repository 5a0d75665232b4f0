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

/* A key as two words: its 16 bytes in memory order. The per-packet path
 * builds keys in registers, so no key is stored and reloaded per frame. */
struct capd_key {
	uint64_t lo, hi;
};

static inline struct capd_key capd_key_load(const uint8_t key[16])
{
	struct capd_key k;
	memcpy(&k.lo, key, 8);
	memcpy(&k.hi, key + 8, 8);
	return k;
}

/* Keys of a MAC (6 bytes) and of an IPv4 address (4 bytes): the bytes then
 * zeros, as capd_key_load would read them, but assembled in registers
 * (a memcpy into a zeroed word can make the compiler store the parts and
 * reload them as one word, which stalls). */
static inline struct capd_key capd_key_mac(const uint8_t mac[6])
{
	uint32_t a;
	uint16_t b;
	memcpy(&a, mac, 4);
	memcpy(&b, mac + 4, 2);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (struct capd_key){ (uint64_t)a | (uint64_t)b << 32, 0 };
#else
	return (struct capd_key){ (uint64_t)a << 32 | (uint64_t)b << 16, 0 };
#endif
}

static inline struct capd_key capd_key_ipv4(const uint8_t addr[4])
{
	uint32_t a;
	memcpy(&a, addr, 4);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (struct capd_key){ a, 0 };
#else
	return (struct capd_key){ (uint64_t)a << 32, 0 };
#endif
}

/* 64x64 -> 128 multiply folded to 64 bits: a fast, strong keyed mix. */
static inline uint64_t capd_table_mum(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* The keyed hash of (kind, key). */
static inline uint64_t capd_table_hash_key(const struct capd_table *t, uint8_t kind,
					   struct capd_key k)
{
	return capd_table_mum(k.lo ^ t->seed[0], k.hi ^ t->seed[1] ^ ((uint64_t)kind << 56));
}

/* Whether entry e holds (kind, key). */
static inline int capd_table_entry_is(const struct capd_table_entry *e, uint8_t kind,
				      struct capd_key k)
{
	struct capd_key ek = capd_key_load(e->key);
	return e->kind == kind && ((ek.lo ^ k.lo) | (ek.hi ^ k.hi)) == 0;
}

/* The slow path of capd_table_get_key: (kind, key) is not in the table and
 * `bucket` is the empty bucket its probe ended at. Inserts it with zero
 * counters, evicting an entry first when the table is full. */
struct capd_table_entry *capd_table_insert(struct capd_table *t, uint8_t kind,
					   struct capd_key k, uint32_t tag, uint32_t bucket);

/* The entry for (kind, key): found (its CLOCK bit set), or inserted with zero
 * counters (evicting one when full). Never NULL after a successful init. The
 * pointer is valid until the next call. Inline: this is the per-packet path;
 * only an insertion leaves it. */
static inline struct capd_table_entry *capd_table_get_key(struct capd_table *t, uint8_t kind,
							  struct capd_key k)
{
	uint32_t tag = (uint32_t)capd_table_hash_key(t, kind, k);
	uint32_t i = tag & t->mask;
	for (;;) {
		struct capd_table_bucket b = t->buckets[i];
		if (b.entry == 0)
			return capd_table_insert(t, kind, k, tag, i);
		if (b.tag == tag) {
			struct capd_table_entry *e = &t->entries[b.entry - 1];
			if (capd_table_entry_is(e, kind, k)) {
				e->referenced = 1;
				return e;
			}
		}
		i = (i + 1) & t->mask;
	}
}

static inline struct capd_table_entry *capd_table_get(struct capd_table *t, uint8_t kind,
						      const uint8_t key[16])
{
	return capd_table_get_key(t, kind, capd_key_load(key));
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
