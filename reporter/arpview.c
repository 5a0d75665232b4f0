#include "arpview.h"

#include <stdlib.h>
#include <string.h>

#include "cursor.h"

void arpview_init(struct arpview *v)
{
	memset(v, 0, sizeof(*v));
	(void)names_book_init(&v->names, ARPVIEW_NAMES_MAX);
}

void arpview_free(struct arpview *v)
{
	names_book_free(&v->names);
	free(v->cur.dev);
	free(v->building.dev);
	free(v->index);
	memset(v, 0, sizeof(*v));
}

static int push(struct arpview_table *t, const struct wire_arp_device *d)
{
	if (t->n == t->cap) {
		if (t->cap >= ARPVIEW_MAX_DEVICES)
			return -1;
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct wire_arp_device *nd = realloc(t->dev, cap * sizeof(*nd));
		if (!nd)
			return -1;
		t->dev = nd;
		t->cap = cap;
	}
	t->dev[t->n++] = *d;
	return 0;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct arpview_addr *x = a, *y = b;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->addr, y->addr, 16);
}

/* Sorted (family, address) → device over the current table. An address
 * claimed by two devices keeps the most recently seen. */
static void reindex(struct arpview *v)
{
	size_t n = 0;
	for (size_t i = 0; i < v->cur.n; i++)
		n += v->cur.dev[i].n4 + v->cur.dev[i].n6;
	struct arpview_addr *ix = n ? calloc(n, sizeof(*ix)) : NULL;
	free(v->index);
	v->index = ix;
	v->n_index = 0;
	if (!ix)
		return;
	for (size_t i = 0; i < v->cur.n; i++) {
		const struct wire_arp_device *d = &v->cur.dev[i];
		for (unsigned k = 0; k < d->n4; k++) {
			ix[v->n_index].family = 4;
			memcpy(ix[v->n_index].addr, d->ipv4[k], 4);
			ix[v->n_index++].dev = (uint32_t)i;
		}
		for (unsigned k = 0; k < d->n6; k++) {
			ix[v->n_index].family = 6;
			memcpy(ix[v->n_index].addr, d->ipv6[k], 16);
			ix[v->n_index++].dev = (uint32_t)i;
		}
	}
	qsort(ix, v->n_index, sizeof(*ix), cmp_addr);
	size_t m = 0;
	for (size_t i = 0; i < v->n_index; i++) {
		if (m > 0 && cmp_addr(&ix[m - 1], &ix[i]) == 0) {
			if (v->cur.dev[ix[i].dev].last_seen_ms > v->cur.dev[ix[m - 1].dev].last_seen_ms)
				ix[m - 1] = ix[i];
			continue;
		}
		ix[m++] = ix[i];
	}
	v->n_index = m;
}

long arpview_find(const struct arpview *v, int family, const uint8_t *addr)
{
	struct arpview_addr key = { .family = (uint8_t)(family == 4 ? 4 : 6) };
	memcpy(key.addr, addr, family == 4 ? 4 : 16);
	const struct arpview_addr *hit = v->index ?
		bsearch(&key, v->index, v->n_index, sizeof(key), cmp_addr) : NULL;
	return hit ? (long)hit->dev : -1;
}

/* arpd's names of the generation just completed into the book, with what
 * each device says about itself. arpd lists a device's names newest first;
 * the times given keep that order within the generation and put every
 * generation after the previous one. */
static void learn_names(struct arpview *v)
{
	uint64_t now = v->generations * (WIRE_ARP_NAMES_MAX + 1);
	for (size_t i = 0; i < v->cur.n; i++) {
		const struct wire_arp_device *d = &v->cur.dev[i];
		if (d->nnames == 0 && about_empty(&d->about))
			continue;
		struct device_names *n = names_book_get(&v->names, d->mac, v->generations);
		if (!n)
			continue;
		for (unsigned k = 0; k < d->nnames; k++)
			(void)names_observe(n, (enum name_source)d->names[k].source,
					    d->names[k].name, now + WIRE_ARP_NAMES_MAX - k);
		(void)names_about(n, &d->about);
	}
}

static void on_devices(struct arpview *v, const struct wire_msg *m)
{
	struct wire_arp_devices_hdr h;
	struct wire_arp_device d;
	struct cursor c;

	if (wire_get_arp_devices(m, &h, &c) != WIRE_OK)
		return;
	if (h.part == 0) {
		if (v->building_ok && v->building.n > 0)
			v->generations_dropped++;
		v->building.n = 0;
		v->building_gen = h.generation;
		v->next_part = 0;
		v->building_ok = true;
	}
	/* a part out of order or of another generation: this one is lost */
	if (!v->building_ok || h.generation != v->building_gen || h.part != v->next_part) {
		if (v->building_ok)
			v->generations_dropped++;
		v->building_ok = false;
		return;
	}
	for (unsigned i = 0; i < h.count; i++) {
		if (wire_get_arp_device(&c, &d) != WIRE_OK || push(&v->building, &d) != 0) {
			v->building_ok = false;
			v->generations_dropped++;
			return;
		}
	}
	v->next_part++;
	if (v->next_part == h.parts) {
		struct arpview_table done = v->building;
		v->building = v->cur;
		v->building.n = 0;
		v->cur = done;
		v->building_ok = false;
		v->have_table = true;
		v->generations++;
		reindex(v);
		learn_names(v);
	}
}

void arpview_record(struct arpview *v, const struct wire_msg *m)
{
	switch (m->hdr.type) {
	case WIRE_ARP_STATS:
		if (wire_get_arp_stats(m, &v->stats) == WIRE_OK)
			v->have_stats = true;
		break;
	case WIRE_ARP_DEVICES:
		on_devices(v, m);
		break;
	case WIRE_ARP_EVENTS:
		v->n_ev = 0;
		for (size_t i = 0; i < wire_arp_events_count(m) && i < WIRE_ARP_EVENTS_MAX; i++)
			if (wire_get_arp_event(m, i, &v->ev[v->n_ev]) == WIRE_OK)
				v->n_ev++;
		break;
	}
}
