#include "arpview.h"

#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "cursor.h"
#include "log.h"
#include "sched.h"

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / NSEC_PER_MSEC;
}

/* arpd runs on the reporter's clock: a time ahead of it is a lie or a bug
 * (and far enough ahead it would print as a year past 9999). */
static bool clamp_time(uint64_t *ms, uint64_t now)
{
	if (*ms <= now)
		return false;
	*ms = now;
	return true;
}

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

static int push(struct arpview_table *t, const struct wire_arp_device *d, size_t max)
{
	if (t->n >= max)
		return -1;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		if (cap > max)
			cap = max;
		struct arpview_device *nd = realloc(t->dev, cap * sizeof(*nd));
		if (!nd)
			return -1;
		t->dev = nd;
		t->cap = cap;
	}
	/* the same fields first in both (WIRE_ARP_DEVICE_FIELDS) */
	_Static_assert(offsetof(struct arpview_device, vendor) ==
		       offsetof(struct wire_arp_device, vendor), "arpview_device is not a prefix");
	memcpy(&t->dev[t->n++], d, offsetof(struct arpview_device, vendor) + sizeof(d->vendor));
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
		const struct arpview_device *d = &v->cur.dev[i];
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

/* A device's names into the book as its part arrives, with what it says
 * about itself (the kept copy of arpd's table has neither). arpd lists a
 * device's names newest first; the times given keep that order within the
 * generation and put every generation after the previous one. */
static void learn_names(struct arpview *v, const struct wire_arp_device *d)
{
	uint64_t gen = v->generations + 1;    /* the one being received */
	uint64_t now = gen * (WIRE_ARP_NAMES_MAX + 1);
	if (d->nnames == 0 && about_empty(&d->about))
		return;
	struct device_names *n = names_book_get(&v->names, d->mac, gen);
	if (!n)
		return;
	for (unsigned k = 0; k < d->nnames; k++)
		(void)names_observe(n, (enum name_source)d->names[k].source,
				    d->names[k].name, now + WIRE_ARP_NAMES_MAX - k);
	(void)names_about(n, &d->about);
}

struct mac_at {
	uint8_t mac[6];
	uint32_t i;
};

static int cmp_mac_at(const void *a, const void *b)
{
	const struct mac_at *x = a, *y = b;
	int c = memcmp(x->mac, y->mac, 6);
	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* arpd's table is keyed by MAC: one MAC twice in a generation is refused
 * (the first kept). Returns how many were left out. */
static size_t drop_duplicate_macs(struct arpview_table *t)
{
	if (t->n < 2)
		return 0;
	struct mac_at *ix = calloc(t->n, sizeof(*ix));
	if (!ix)
		return 0;
	for (size_t i = 0; i < t->n; i++) {
		memcpy(ix[i].mac, t->dev[i].mac, 6);
		ix[i].i = (uint32_t)i;
	}
	qsort(ix, t->n, sizeof(*ix), cmp_mac_at);
	size_t dups = 0;
	for (size_t i = 1; i < t->n; i++)
		if (memcmp(ix[i].mac, ix[i - 1].mac, 6) == 0) {
			t->dev[ix[i].i].flags |= 0x80;   /* not a wire flag: marks the repeat */
			dups++;
		}
	free(ix);
	if (dups) {
		size_t m = 0;
		for (size_t i = 0; i < t->n; i++)
			if (!(t->dev[i].flags & 0x80))
				t->dev[m++] = t->dev[i];
		t->n = m;
	}
	return dups;
}

static void on_devices(struct arpview *v, const struct wire_msg *m)
{
	struct wire_arp_devices_hdr h;
	struct wire_arp_device d;
	struct cursor c;
	static const uint8_t zero_mac[6];
	size_t max = v->max_devices && v->max_devices < ARPVIEW_MAX_DEVICES ? v->max_devices
									     : ARPVIEW_MAX_DEVICES;
	size_t zero = 0, over = 0, clamped = 0;
	uint64_t now = now_ms();

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
		if (v->building_ok) {
			v->generations_dropped++;
			log_warnx("arpd: device table generation %llu abandoned: part %u of generation "
				  "%llu came where part %u was due", (unsigned long long)v->building_gen,
				  h.part, (unsigned long long)h.generation, v->next_part);
		}
		v->building_ok = false;
		return;
	}
	for (unsigned i = 0; i < h.count; i++) {
		if (wire_get_arp_device(&c, &d) != WIRE_OK) {
			v->building_ok = false;
			v->generations_dropped++;
			return;
		}
		if (memcmp(d.mac, zero_mac, 6) == 0) {
			zero++;
			continue;
		}
		/* both clamps, always: first seen may not pass a clamped last seen */
		bool late = clamp_time(&d.last_seen_ms, now);
		bool early = clamp_time(&d.first_seen_ms, d.last_seen_ms);
		if (late || early)
			clamped++;
		if (push(&v->building, &d, max) != 0) {
			over++;
			continue;
		}
		learn_names(v, &d);
	}
	if (zero || over)
		log_warnx("arpd: device table generation %llu part %u: %zu entries refused "
			  "(%zu with the MAC 00:00:00:00:00:00, %zu beyond max_devices %zu)",
			  (unsigned long long)h.generation, h.part, zero + over, zero, over, max);
	if (clamped)
		log_warnx("arpd: %zu device times in the future shown as now", clamped);
	v->refused_devices += zero + over;
	v->clamped_times += clamped;
	v->next_part++;
	if (v->next_part == h.parts) {
		size_t dups = drop_duplicate_macs(&v->building);
		if (dups)
			log_warnx("arpd: device table generation %llu lists %zu MACs twice; repeats refused",
				  (unsigned long long)h.generation, dups);
		v->refused_devices += dups;
		struct arpview_table done = v->building;
		v->building = v->cur;
		v->building.n = 0;
		v->cur = done;
		v->building_ok = false;
		v->have_table = true;
		v->generations++;
		reindex(v);
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
			if (wire_get_arp_event(m, i, &v->ev[v->n_ev]) == WIRE_OK) {
				if (clamp_time(&v->ev[v->n_ev].time_ms, now_ms()))
					v->clamped_times++;
				v->n_ev++;
			}
		break;
	}
}
