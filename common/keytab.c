/*
 * The keyed table (see keytab.h for the layout and the eviction policy). The
 * per-packet path is keytab_get_stride, inline in keytab.h: one hash, a short
 * linear probe over 8-byte buckets, one entry access. Only inserting a new key
 * comes here.
 */
#include "keytab.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>

#define HUGE_PAGE (2u << 20)

/*
 * The bucket index is touched at random, so with 4 KiB pages nearly every
 * lookup also misses the TLB: it is mapped 2 MiB-aligned and advised as huge
 * pages (transparent huge pages in "madvise" or "always" mode), which cuts
 * the per-packet cost markedly. Entries fill up densely from index 0, so they
 * stay on small pages (no 2 MiB zeroing for a few hundred devices). Mapped
 * anonymous memory is zeroed and only becomes resident when touched.
 */
static void *big_alloc(size_t size, size_t *mapped, bool huge)
{
	size_t len = (size + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
	uint8_t *p = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* keep the 2 MiB-aligned part, give back the rest */
	size_t lead = (HUGE_PAGE - ((uintptr_t)p & (HUGE_PAGE - 1))) & (HUGE_PAGE - 1);
	if (lead)
		munmap(p, lead);
	if (HUGE_PAGE - lead)
		munmap(p + lead + len, HUGE_PAGE - lead);
	p += lead;
	if (huge && size >= HUGE_PAGE / 2)
		(void)madvise(p, len, MADV_HUGEPAGE);   /* a hint: fine to fail */
	*mapped = len;
	return p;
}

static void big_free(void *p, size_t mapped)
{
	if (p)
		munmap(p, mapped);
}

int keytab_init(struct keytab *t, uint32_t capacity, size_t stride, const uint64_t seed[2])
{
	memset(t, 0, sizeof(*t));
	if (capacity == 0 || capacity > KEYTAB_MAX_CAPACITY ||
	    stride < sizeof(struct keytab_head) || stride % 8 != 0 || stride > 4096) {
		errno = EINVAL;
		return -1;
	}
	uint32_t nbuckets = 2;
	while (nbuckets < 2 * capacity)
		nbuckets <<= 1;
	t->buckets = big_alloc((size_t)nbuckets * sizeof(*t->buckets), &t->buckets_mapped, true);
	t->entries = big_alloc((size_t)capacity * stride, &t->entries_mapped, false);
	if (!t->buckets || !t->entries) {
		keytab_free(t);
		errno = ENOMEM;
		return -1;
	}
	t->stride = stride;
	t->capacity = capacity;
	t->mask = nbuckets - 1;
	t->seed[0] = seed[0];
	t->seed[1] = seed[1];
	t->next_serial = 1;
	return 0;
}

int keytab_init_random(struct keytab *t, uint32_t capacity, size_t stride)
{
	uint64_t seed[2];
	memset(t, 0, sizeof(*t));
	if (getrandom(seed, sizeof(seed), 0) != (ssize_t)sizeof(seed))
		return -1;  /* errno from getrandom; a short read cannot happen for 16 bytes */
	return keytab_init(t, capacity, stride, seed);
}

void keytab_free(struct keytab *t)
{
	big_free(t->buckets, t->buckets_mapped);
	big_free(t->entries, t->entries_mapped);
	memset(t, 0, sizeof(*t));
}

/* Bucket holding (kind, key), or the empty bucket where it would go. */
static uint32_t probe(const struct keytab *t, uint8_t kind, struct keytab_key k, uint32_t tag)
{
	uint32_t i = tag & t->mask;
	for (;;) {
		const struct keytab_bucket *b = &t->buckets[i];
		if (b->entry == 0)
			return i;
		if (b->tag == tag && keytab_entry_is(keytab_at(t, b->entry - 1), kind, k))
			return i;
		i = (i + 1) & t->mask;
	}
}

struct keytab_head *keytab_find(const struct keytab *t, uint8_t kind, struct keytab_key k)
{
	if (!t->buckets)
		return NULL;
	uint32_t i = probe(t, kind, k, (uint32_t)keytab_hash(t, kind, k));
	uint32_t e = t->buckets[i].entry;
	return e ? keytab_at(t, e - 1) : NULL;
}

/* Remove bucket i by backward-shift deletion (linear probing keeps no
 * tombstones, so probes stay short however many evictions happen). */
static void bucket_delete(struct keytab *t, uint32_t i)
{
	uint32_t j = i;
	for (;;) {
		j = (j + 1) & t->mask;
		struct keytab_bucket b = t->buckets[j];
		if (b.entry == 0)
			break;
		uint32_t home = b.tag & t->mask;
		/* b may stay when its home lies cyclically in (i, j] */
		if (((j - home) & t->mask) < ((j - i) & t->mask))
			continue;
		t->buckets[i] = b;
		keytab_at(t, b.entry - 1)->bucket = i;
		i = j;
	}
	t->buckets[i].entry = 0;
	t->buckets[i].tag = 0;
}

/* CLOCK: the first entry from the hand whose referenced bit is clear.
 * Terminates within count + 1 steps: a full turn clears every bit. */
static uint32_t clock_victim(struct keytab *t)
{
	for (;;) {
		struct keytab_head *e = keytab_at(t, t->hand);
		uint32_t at = t->hand;
		t->hand = t->hand + 1 == t->count ? 0 : t->hand + 1;
		if (!e->referenced)
			return at;
		e->referenced = 0;
	}
}

struct keytab_head *keytab_insert(struct keytab *t, uint8_t kind, struct keytab_key k,
				  uint32_t tag, uint32_t bucket)
{
	uint32_t slot;
	if (t->count < t->capacity) {
		slot = t->count++;
	} else {
		slot = clock_victim(t);
		bucket_delete(t, keytab_at(t, slot)->bucket);
		t->evictions++;
		/* the deletion may have shifted the run: find the free bucket again */
		bucket = probe(t, kind, k, tag);
	}

	struct keytab_head *e = keytab_at(t, slot);
	memset(e, 0, t->stride);
	e->kind = kind;
	memcpy(e->key, &k.lo, 8);
	memcpy(e->key + 8, &k.hi, 8);
	e->bucket = bucket;
	e->serial = t->next_serial++;
	t->buckets[bucket].tag = tag;
	t->buckets[bucket].entry = slot + 1;
	return e;
}

struct keytab_head *keytab_victim(struct keytab *t)
{
	if (t->count < t->capacity)
		return NULL;
	return keytab_at(t, clock_victim(t));
}

uint32_t keytab_remove(struct keytab *t, struct keytab_head *e)
{
	uint32_t at = (uint32_t)(((unsigned char *)e - t->entries) / t->stride);
	uint32_t last = t->count - 1;
	bucket_delete(t, e->bucket);
	if (at != last) {
		memcpy(e, keytab_at(t, last), t->stride);
		t->buckets[e->bucket].entry = at + 1;
	}
	memset(keytab_at(t, last), 0, t->stride);
	t->count--;
	if (t->hand >= t->count)
		t->hand = 0;
	return at != last ? last : UINT32_MAX;
}
