/*
 * The keyed table of netmon's per-address counters, shared by capd (its
 * per-packet accounting) and the reporter (its monotonic view of capd's
 * counters). Fixed capacity, allocated once, never allocates afterwards.
 * Keys are (kind, 16 bytes): a MAC, an IPv4 or an IPv6 address, zero-padded.
 *
 * Layout: a dense array of `capacity` entries of `stride` bytes, each starting
 * with a struct keytab_head (the owner's fields follow), and an index of
 * 2^k >= 2 x capacity buckets (linear probing, load <= 50%) holding a 32-bit
 * hash tag and the entry's position. The hash is keyed with a random seed:
 * addresses come from the network, and an attacker choosing them must not be
 * able to aim them all at one probe run (an unkeyed hash lets 60,000 crafted
 * MACs cost hundreds of times what random ones cost).
 *
 * When full, a CLOCK (second chance) sweep picks the victim: every hit sets
 * the entry's referenced bit; the hand walks the entries, clearing set bits,
 * and evicts the first entry whose bit is clear, i.e. one not seen since the
 * hand last passed it. The new key takes the victim's place just behind the
 * hand, so it survives a whole sweep. Evictions are counted. Details in
 * docs/accounting.md.
 */
#ifndef NETMON_KEYTAB_H
#define NETMON_KEYTAB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define KEYTAB_MAX_CAPACITY (1u << 24)

/* The fields every entry starts with, spelled out once so an owner can embed
 * them both as a struct keytab_head and as its own named fields (an anonymous
 * union, see KEYTAB_ENTRY_HEAD). */
#define KEYTAB_HEAD_FIELDS                                                            \
	uint8_t kind;        /* the key's kind, never 0 in a live entry */             \
	uint8_t referenced;  /* CLOCK bit */                                           \
	uint8_t dirty;       /* the owner's flag (capd: changed since sent); 0 when new */ \
	uint8_t pad;                                                                   \
	uint32_t bucket;     /* index bucket pointing here */                         \
	uint8_t key[16];                                                               \
	uint64_t serial      /* unique per insertion in this table, from 1 */

struct keytab_head {
	KEYTAB_HEAD_FIELDS;
};

/* First member of an owner's entry struct: `head` for the table, the same
 * bytes as e->kind, e->key, ... for the owner. */
#define KEYTAB_ENTRY_HEAD          \
	union {                    \
		struct keytab_head head; \
		struct {           \
			KEYTAB_HEAD_FIELDS; \
		};                 \
	}

struct keytab_bucket {
	uint32_t tag;                  /* low 32 bits of the key's hash */
	uint32_t entry;                /* entry index + 1; 0 = empty bucket */
};

/* The table's fields, spelled out once so an owner with a fixed entry type can
 * have a typed view of them (union with struct keytab, as capd/table.h does):
 * entry_t is the type `entries` points to. */
#define KEYTAB_FIELDS(entry_t)                                                 \
	entry_t *entries;              /* capacity x stride bytes */            \
	struct keytab_bucket *buckets;                                          \
	size_t stride;                 /* bytes per entry, >= the head */       \
	uint32_t capacity;             /* max entries */                        \
	uint32_t count;                /* entries in use: 0..capacity */        \
	uint32_t mask;                 /* buckets - 1 */                        \
	uint32_t hand;                 /* CLOCK hand, an entry index */         \
	uint64_t seed[2];                                                       \
	uint64_t next_serial;                                                   \
	uint64_t evictions;                                                     \
	size_t buckets_mapped, entries_mapped  /* mapping sizes, for munmap */

struct keytab {
	KEYTAB_FIELDS(unsigned char);
};

/* Allocate for `capacity` entries (1..KEYTAB_MAX_CAPACITY) of `stride` bytes
 * (a multiple of 8, at least the head). seed is the hash key (random bytes;
 * tests may pass fixed ones). 0 or -1 (errno). */
int keytab_init(struct keytab *t, uint32_t capacity, size_t stride, const uint64_t seed[2]);
/* The same with a seed from getrandom(): nobody may predict which addresses
 * share a probe run. 0 or -1 (errno). */
int keytab_init_random(struct keytab *t, uint32_t capacity, size_t stride);
void keytab_free(struct keytab *t);

/* A key as two words: its 16 bytes in memory order. The per-packet path
 * builds keys in registers, so no key is stored and reloaded per frame. */
struct keytab_key {
	uint64_t lo, hi;
};

static inline struct keytab_key keytab_key_load(const uint8_t key[16])
{
	struct keytab_key k;
	memcpy(&k.lo, key, 8);
	memcpy(&k.hi, key + 8, 8);
	return k;
}

/* Keys of a MAC (6 bytes) and of an IPv4 address (4 bytes): the bytes then
 * zeros, as keytab_key_load would read them, but assembled in registers
 * (a memcpy into a zeroed word can make the compiler store the parts and
 * reload them as one word, which stalls). */
static inline struct keytab_key keytab_key_mac(const uint8_t mac[6])
{
	uint32_t a;
	uint16_t b;
	memcpy(&a, mac, 4);
	memcpy(&b, mac + 4, 2);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (struct keytab_key){ (uint64_t)a | (uint64_t)b << 32, 0 };
#else
	return (struct keytab_key){ (uint64_t)a << 32 | (uint64_t)b << 16, 0 };
#endif
}

static inline struct keytab_key keytab_key_ipv4(const uint8_t addr[4])
{
	uint32_t a;
	memcpy(&a, addr, 4);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (struct keytab_key){ a, 0 };
#else
	return (struct keytab_key){ (uint64_t)a << 32, 0 };
#endif
}

/* 64x64 -> 128 multiply folded to 64 bits: a fast, strong keyed mix. */
static inline uint64_t keytab_mum(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* The keyed hash of (kind, key). */
static inline uint64_t keytab_hash(const struct keytab *t, uint8_t kind, struct keytab_key k)
{
	return keytab_mum(k.lo ^ t->seed[0], k.hi ^ t->seed[1] ^ ((uint64_t)kind << 56));
}

/* Entry i (0..count-1), in no particular order. `stride` is t->stride; an
 * owner with a fixed entry type passes sizeof it, so the inline paths
 * compile to a shift. */
static inline struct keytab_head *keytab_at_stride(const struct keytab *t, uint32_t i,
						   size_t stride)
{
	return (struct keytab_head *)(void *)(t->entries + (size_t)i * stride);
}

static inline struct keytab_head *keytab_at(const struct keytab *t, uint32_t i)
{
	return keytab_at_stride(t, i, t->stride);
}

static inline uint32_t keytab_count(const struct keytab *t)
{
	return t->count;
}

/* Whether entry e holds (kind, key). */
static inline int keytab_entry_is(const struct keytab_head *e, uint8_t kind, struct keytab_key k)
{
	struct keytab_key ek = keytab_key_load(e->key);
	return e->kind == kind && ((ek.lo ^ k.lo) | (ek.hi ^ k.hi)) == 0;
}

/* The slow path of keytab_get: (kind, key) is not in the table and `bucket`
 * is the empty bucket its probe ended at. Inserts it with a zeroed entry
 * (evicting one first when the table is full). */
struct keytab_head *keytab_insert(struct keytab *t, uint8_t kind, struct keytab_key k,
				  uint32_t tag, uint32_t bucket);

/* The entry for (kind, key): found (its CLOCK bit set), or inserted zeroed
 * past the head (evicting one when full). Never NULL after a successful init.
 * Valid until the next call. Inline: this is capd's per-packet path; only an
 * insertion leaves it. */
static inline struct keytab_head *keytab_get_stride(struct keytab *t, uint8_t kind,
						    struct keytab_key k, size_t stride)
{
	uint32_t tag = (uint32_t)keytab_hash(t, kind, k);
	uint32_t i = tag & t->mask;
	for (;;) {
		struct keytab_bucket b = t->buckets[i];
		if (b.entry == 0)
			return keytab_insert(t, kind, k, tag, i);
		if (b.tag == tag) {
			struct keytab_head *e = keytab_at_stride(t, b.entry - 1, stride);
			if (keytab_entry_is(e, kind, k)) {
				e->referenced = 1;
				return e;
			}
		}
		i = (i + 1) & t->mask;
	}
}

static inline struct keytab_head *keytab_get(struct keytab *t, uint8_t kind, struct keytab_key k)
{
	return keytab_get_stride(t, kind, k, t->stride);
}

/* The entry for (kind, key) if present, else NULL; does not touch the CLOCK bit. */
struct keytab_head *keytab_find(const struct keytab *t, uint8_t kind, struct keytab_key k);

/* For owners whose entries are pointed at (arpd: addresses name their
 * device) and who must let go before an entry disappears:
 * keytab_victim: when the table is full, the entry the CLOCK picks (the hand
 *   moves as for an eviction), to be keytab_remove()d by the owner; NULL
 *   while there is room.
 * keytab_remove: take entry e out. Entries stay dense: the last entry moves
 *   into e's place. Returns the index it moved from (the owner re-points
 *   what pointed at it; it is now at e's index), or UINT32_MAX when e was the
 *   last. */
struct keytab_head *keytab_victim(struct keytab *t);
uint32_t keytab_remove(struct keytab *t, struct keytab_head *e);

#endif
