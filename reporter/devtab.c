#include "devtab.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_key(uint8_t kind, const uint8_t addr[16])
{
	/* FNV-1a: keys come from capd, already a trusted-after-validation peer */
	uint64_t h = 1469598103934665603ULL ^ kind;
	for (int i = 0; i < 16; i++) {
		h ^= addr[i];
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

int devtab_init(struct devtab *t, size_t capacity)
{
	memset(t, 0, sizeof(*t));
	if (capacity == 0)
		capacity = 1;
	size_t n = 16;
	while (n < capacity * 2)
		n *= 2;
	t->slots = calloc(n, sizeof(*t->slots));
	if (!t->slots)
		return -1;
	t->nslots = n;
	t->capacity = capacity;
	return 0;
}

void devtab_free(struct devtab *t)
{
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

static size_t find_slot(const struct devtab *t, uint8_t kind, const uint8_t addr[16])
{
	size_t i = (size_t)hash_key(kind, addr) & (t->nslots - 1);
	while (t->slots[i].kind != 0 &&
	       (t->slots[i].kind != kind || memcmp(t->slots[i].addr, addr, 16) != 0))
		i = (i + 1) & (t->nslots - 1);
	return i;
}

/* Backward-shift deletion keeps probe chains intact without tombstones. */
static void remove_slot(struct devtab *t, size_t i)
{
	size_t mask = t->nslots - 1;
	size_t j = i;
	t->slots[i].kind = 0;
	for (;;) {
		j = (j + 1) & mask;
		if (t->slots[j].kind == 0)
			break;
		size_t home = (size_t)hash_key(t->slots[j].kind, t->slots[j].addr) & mask;
		/* move j back into the hole at i unless its home lies in (i, j] */
		if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
			t->slots[i] = t->slots[j];
			t->slots[j].kind = 0;
			i = j;
		}
	}
	t->count--;
}

/* CLOCK: clear set bits as the hand passes; evict the first entry whose bit
 * is already clear. Two turns at most. Backward-shift deletion may move an
 * entry behind the hand; it is then simply looked at one turn later. */
static void evict_one(struct devtab *t)
{
	for (size_t steps = 0; steps < 2 * t->nslots + 1; steps++) {
		size_t i = t->hand;
		t->hand = (t->hand + 1) & (t->nslots - 1);
		struct dev_entry *e = &t->slots[i];
		if (e->kind == 0)
			continue;
		if (e->referenced) {
			e->referenced = 0;
			continue;
		}
		remove_slot(t, i);
		t->replaced++;
		return;
	}
}

void devtab_update(struct devtab *t, uint64_t instance_id, const struct wire_device *d,
		   uint64_t now_ns)
{
	const uint64_t v[DEV_NCOUNTERS] = { d->rx_bytes, d->tx_bytes, d->rx_packets,
					    d->tx_packets };
	size_t i = find_slot(t, d->kind, d->addr);
	struct dev_entry *e = &t->slots[i];

	if (e->kind == 0) {
		if (t->count >= t->capacity) {
			evict_one(t);
			i = find_slot(t, d->kind, d->addr);
			e = &t->slots[i];
		}
		memset(e, 0, sizeof(*e));
		e->kind = d->kind;
		memcpy(e->addr, d->addr, 16);
		e->instance_id = instance_id;
		e->created = d->created;
		t->count++;
	}
	bool restarted = e->instance_id != instance_id || e->created != d->created;
	bool backwards = false;
	for (int k = 0; k < DEV_NCOUNTERS; k++)
		backwards |= v[k] < e->cur[k];
	if (restarted || backwards) {
		if (!restarted)
			t->resets++;
		for (int k = 0; k < DEV_NCOUNTERS; k++) {
			e->base[k] += e->cur[k];
			e->cur[k] = 0;
		}
		e->instance_id = instance_id;
		e->created = d->created;
	}
	if (memcmp(e->cur, v, sizeof(v)) != 0 || restarted || backwards)
		e->changed_ns = now_ns;
	memcpy(e->cur, v, sizeof(v));
	e->referenced = 1;
	if (e->rebase) {
		for (int k = 0; k < DEV_NCOUNTERS; k++)
			e->window_start[k] = devtab_total(e, k);
		e->rebase = 0;
	}
}

uint64_t devtab_total(const struct dev_entry *e, int counter)
{
	return e->base[counter] + e->cur[counter];
}

void devtab_mark_window(struct devtab *t)
{
	for (size_t i = 0; i < t->nslots; i++) {
		struct dev_entry *e = &t->slots[i];
		if (e->kind == 0)
			continue;
		for (int k = 0; k < DEV_NCOUNTERS; k++)
			e->window_start[k] = devtab_total(e, k);
	}
}

bool devtab_next(const struct devtab *t, size_t *iter, struct devtab_saved *out)
{
	for (size_t i = *iter; i < t->nslots; i++) {
		const struct dev_entry *e = &t->slots[i];
		if (e->kind == 0)
			continue;
		out->kind = e->kind;
		memcpy(out->addr, e->addr, 16);
		out->instance_id = e->instance_id;
		out->created = e->created;
		memcpy(out->base, e->base, sizeof(out->base));
		memcpy(out->cur, e->cur, sizeof(out->cur));
		*iter = i + 1;
		return true;
	}
	*iter = t->nslots;
	return false;
}

int devtab_restore(struct devtab *t, const struct devtab_saved *in)
{
	if (in->kind < WIRE_KEY_MAC || in->kind > WIRE_KEY_IPV6 || t->count >= t->capacity)
		return -1;
	for (int k = 0; k < DEV_NCOUNTERS; k++)
		if (in->base[k] > UINT64_MAX - in->cur[k])
			return -1;
	size_t i = find_slot(t, in->kind, in->addr);
	struct dev_entry *e = &t->slots[i];
	if (e->kind != 0)
		return -1;   /* a key saved twice: keep the first */
	memset(e, 0, sizeof(*e));
	e->kind = in->kind;
	memcpy(e->addr, in->addr, 16);
	e->instance_id = in->instance_id;
	e->created = in->created;
	memcpy(e->base, in->base, sizeof(e->base));
	memcpy(e->cur, in->cur, sizeof(e->cur));
	for (int k = 0; k < DEV_NCOUNTERS; k++)
		e->window_start[k] = devtab_total(e, k);
	e->rebase = 1;
	t->count++;
	return 0;
}
