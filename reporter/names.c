#include "names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Slot i of source s: its name buffer (size *cap) and its time. */
static char *slot(struct device_names *d, enum name_source s, unsigned i, size_t *cap,
		  uint64_t **seen)
{
	if (s == NAME_SRC_DNS) {
		*cap = sizeof(d->dns[i].name);
		*seen = &d->dns[i].seen;
		return d->dns[i].name;
	}
	*cap = sizeof(d->passive[s - 1][i].name);
	*seen = &d->passive[s - 1][i].seen;
	return d->passive[s - 1][i].name;
}

static const char *slot_c(const struct device_names *d, enum name_source s, unsigned i,
			  uint64_t *seen)
{
	if (s == NAME_SRC_DNS) {
		*seen = d->dns[i].seen;
		return d->dns[i].name;
	}
	*seen = d->passive[s - 1][i].seen;
	return d->passive[s - 1][i].name;
}

int names_observe(struct device_names *d, enum name_source s, const char *name, uint64_t now)
{
	if ((unsigned)s >= NAME_SRC_COUNT || name == NULL)
		return -1;
	size_t len = strnlen(name, NAME_TEXT_MAX + 1);
	if (len == 0 || len > names_source_max(s) || !text_clean(name, len))
		return -1;

	unsigned n = d->count[s] <= NAMES_KEEP ? d->count[s] : NAMES_KEEP, victim = 0;
	uint64_t oldest = UINT64_MAX, *seen;
	size_t cap;
	for (unsigned i = 0; i < n; i++) {
		char *have = slot(d, s, i, &cap, &seen);
		if (strcmp(have, name) == 0) {
			if (now > *seen)
				*seen = now;
			return 0;
		}
		if (*seen < oldest) {
			oldest = *seen;
			victim = i;
		}
	}
	if (n < NAMES_KEEP) {
		victim = n;
		d->count[s] = (uint8_t)(n + 1);
	}
	char *dst = slot(d, s, victim, &cap, &seen);
	memcpy(dst, name, len);
	dst[len] = '\0';
	*seen = now;
	return 1;
}

int names_about(struct device_names *d, const struct device_about *a)
{
	return about_ok(a) ? about_merge(&d->about, a) : -1;
}

void names_forget(struct device_names *d, enum name_source s)
{
	if ((unsigned)s >= NAME_SRC_COUNT)
		return;
	for (unsigned i = 0; i < NAMES_KEEP; i++) {
		size_t cap;
		uint64_t *seen;
		char *p = slot(d, s, i, &cap, &seen);
		memset(p, 0, cap);
		*seen = 0;
	}
	d->count[s] = 0;
}

/* Index of source s's most recently seen name (first kept wins a tie), or -1. */
static int newest(const struct device_names *d, enum name_source s)
{
	int best = -1;
	uint64_t best_seen = 0, seen;
	unsigned n = d->count[s] <= NAMES_KEEP ? d->count[s] : NAMES_KEEP;
	for (unsigned i = 0; i < n; i++) {
		(void)slot_c(d, s, i, &seen);
		if (best < 0 || seen > best_seen) {
			best = (int)i;
			best_seen = seen;
		}
	}
	return best;
}

const char *names_pick(const struct device_names *d, const struct names_order *o,
		       enum name_source *src)
{
	uint64_t seen;
	for (unsigned k = 0; k < o->n && k < NAME_SRC_COUNT; k++) {
		enum name_source s = o->src[k];
		if ((unsigned)s >= NAME_SRC_COUNT)
			continue;
		int i = newest(d, s);
		if (i >= 0) {
			if (src)
				*src = s;
			return slot_c(d, s, (unsigned)i, &seen);
		}
	}
	if (src)
		*src = NAME_SRC_NONE;
	return "";
}

size_t names_list(const struct device_names *d, enum name_source s, const char **out,
		  size_t max)
{
	if ((unsigned)s >= NAME_SRC_COUNT)
		return 0;
	unsigned n = d->count[s] <= NAMES_KEEP ? d->count[s] : NAMES_KEEP;
	unsigned idx[NAMES_KEEP];
	uint64_t when[NAMES_KEEP];
	for (unsigned i = 0; i < n; i++) {
		(void)slot_c(d, s, i, &when[i]);
		idx[i] = i;
	}
	/* insertion sort, newest first, stable (earlier slot first on ties) */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && when[idx[j]] > when[idx[j - 1]]; j--) {
			unsigned t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	size_t k = 0;
	uint64_t seen;
	for (; k < n && k < max; k++)
		out[k] = slot_c(d, s, idx[k], &seen);
	return k;
}

/* ---- the book: names by MAC ---------------------------------------------- */

int names_book_init(struct names_book *b, size_t cap)
{
	memset(b, 0, sizeof(*b));
	if (cap == 0 || cap > UINT32_MAX)
		return -1;
	b->cap = cap;
	return 0;
}

void names_book_free(struct names_book *b)
{
	free(b->e);
	free(b->by_mac);
	memset(b, 0, sizeof(*b));
}

/* Position of mac in by_mac when found (true), else where it would go. */
static bool book_search(const struct names_book *b, const uint8_t mac[6], size_t *pos)
{
	size_t lo = 0, hi = b->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(b->e[b->by_mac[mid]].mac, mac, 6);
		if (c == 0) {
			*pos = mid;
			return true;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return false;
}

const struct device_names *names_book_find(const struct names_book *b, const uint8_t mac[6])
{
	size_t pos;
	return b->n && book_search(b, mac, &pos) ? &b->e[b->by_mac[pos]].n : NULL;
}

/* The least recently touched entry leaves; its slot is reused. */
static uint32_t book_evict(struct names_book *b)
{
	uint32_t victim = 0;
	for (uint32_t i = 1; i < b->n; i++)
		if (b->e[i].touched < b->e[victim].touched)
			victim = i;
	size_t pos;
	if (book_search(b, b->e[victim].mac, &pos)) {
		memmove(&b->by_mac[pos], &b->by_mac[pos + 1], (b->n - pos - 1) * sizeof(uint32_t));
		b->n--;
	}
	b->evictions++;
	return victim;
}

struct device_names *names_book_get(struct names_book *b, const uint8_t mac[6], uint64_t now)
{
	size_t pos;
	if (b->n && book_search(b, mac, &pos)) {
		struct names_book_entry *e = &b->e[b->by_mac[pos]];
		e->touched = now;
		return &e->n;
	}
	uint32_t slot;
	if (b->cap == 0)
		return NULL;            /* never initialised */
	if (b->n == b->cap) {
		slot = book_evict(b);
	} else {
		if (b->n == b->alloc) {
			size_t alloc = b->alloc ? b->alloc * 2 : 64;
			if (alloc > b->cap)
				alloc = b->cap;
			struct names_book_entry *e = realloc(b->e, alloc * sizeof(*e));
			if (!e)
				return NULL;
			b->e = e;
			uint32_t *ix = realloc(b->by_mac, alloc * sizeof(*ix));
			if (!ix)
				return NULL;
			b->by_mac = ix;
			b->alloc = alloc;
		}
		slot = (uint32_t)b->n;
	}
	(void)book_search(b, mac, &pos);
	memmove(&b->by_mac[pos + 1], &b->by_mac[pos], (b->n - pos) * sizeof(uint32_t));
	b->by_mac[pos] = slot;
	b->n++;
	struct names_book_entry *e = &b->e[slot];
	memset(e, 0, sizeof(*e));
	memcpy(e->mac, mac, 6);
	e->touched = now;
	return &e->n;
}
