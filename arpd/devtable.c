#include "devtable.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/* SipHash-2-4 of one 64-bit word (the key layouts below fit in 8 bytes). */
#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                           \
	do {                                                               \
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                     \
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                     \
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
	} while (0)

static uint64_t siphash_u64(uint64_t k0, uint64_t k1, uint64_t m)
{
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
	uint64_t b = (uint64_t)8 << 56;
	v3 ^= m; SIPROUND; SIPROUND; v0 ^= m;
	v3 ^= b; SIPROUND; SIPROUND; v0 ^= b;
	v2 ^= 0xff; SIPROUND; SIPROUND; SIPROUND; SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

#define KEY_MAC (1ULL << 56)
#define KEY_IPV4 (2ULL << 56)

static uint64_t mac_key(const uint8_t m[6])
{
	return KEY_MAC | (uint64_t)m[0] << 40 | (uint64_t)m[1] << 32 | (uint64_t)m[2] << 24 |
	       (uint64_t)m[3] << 16 | (uint64_t)m[4] << 8 | m[5];
}

static uint32_t slot_of(const struct devtable *t, uint64_t key)
{
	return (uint32_t)siphash_u64(t->k0, t->k1, key) & (t->nslots - 1);
}

/* Index + 1 stored for `key`, or 0. */
static uint32_t map_get(const struct devtable *t, uint64_t key)
{
	for (uint32_t i = slot_of(t, key);; i = (i + 1) & (t->nslots - 1)) {
		if (t->slots[i].val == 0)
			return 0;
		if (t->slots[i].key == key)
			return t->slots[i].val;
	}
}

static void map_put(struct devtable *t, uint64_t key, uint32_t val)
{
	uint32_t i = slot_of(t, key);
	while (t->slots[i].val != 0 && t->slots[i].key != key)
		i = (i + 1) & (t->nslots - 1);
	t->slots[i].key = key;
	t->slots[i].val = val;
}

/* Linear probing delete without tombstones: shift later members of the
 * cluster back when their home slot allows it. */
static void map_del(struct devtable *t, uint64_t key)
{
	uint32_t mask = t->nslots - 1, i = slot_of(t, key);
	while (t->slots[i].val != 0 && t->slots[i].key != key)
		i = (i + 1) & mask;
	if (t->slots[i].val == 0)
		return;
	uint32_t hole = i;
	for (uint32_t j = (hole + 1) & mask; t->slots[j].val != 0; j = (j + 1) & mask) {
		uint32_t home = slot_of(t, t->slots[j].key);
		/* j may move to the hole when its home is not in (hole, j] */
		bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
		if (!stays) {
			t->slots[hole] = t->slots[j];
			hole = j;
		}
	}
	t->slots[hole].val = 0;
	t->slots[hole].key = 0;
}

int devtable_init(struct devtable *t, uint32_t max_devices, uint64_t timeout_ns,
		  uint64_t forget_ns, const uint8_t key[16])
{
	memset(t, 0, sizeof(*t));
	if (max_devices == 0 || max_devices > DEV_MAX_DEVICES)
		return -1;
	t->cap = max_devices;
	t->owners_cap = max_devices * DEV_V4_MAX;
	uint64_t want = 2ULL * (t->cap + t->owners_cap);
	t->nslots = 16;
	while (t->nslots < want)
		t->nslots <<= 1;
	t->e = calloc(t->cap, sizeof(*t->e));
	t->slots = calloc(t->nslots, sizeof(*t->slots));
	t->owners = calloc(t->owners_cap, sizeof(*t->owners));
	if (!t->e || !t->slots || !t->owners) {
		devtable_free(t);
		return -1;
	}
	for (int i = 0; i < 8; i++) {
		t->k0 = t->k0 << 8 | key[i];
		t->k1 = t->k1 << 8 | key[8 + i];
	}
	t->timeout_ns = timeout_ns;
	t->forget_ns = forget_ns;
	return 0;
}

int devtable_init_random(struct devtable *t, uint32_t max_devices, uint64_t timeout_ns,
			 uint64_t forget_ns)
{
	uint8_t key[16];
	if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key))
		return -1;
	return devtable_init(t, max_devices, timeout_ns, forget_ns, key);
}

void devtable_free(struct devtable *t)
{
	free(t->e);
	free(t->slots);
	free(t->owners);
	memset(t, 0, sizeof(*t));
}

struct dev_entry *devtable_find(const struct devtable *t, const uint8_t mac[6])
{
	uint32_t v = map_get(t, mac_key(mac));
	return v ? &t->e[v - 1] : NULL;
}

static struct ip_owner *owner_find(const struct devtable *t, uint32_t ip)
{
	uint32_t v = map_get(t, KEY_IPV4 | ip);
	return v ? &t->owners[v - 1] : NULL;
}

struct dev_entry *devtable_owner(const struct devtable *t, uint32_t ip)
{
	const struct ip_owner *o = owner_find(t, ip);
	return o ? &t->e[o->dev] : NULL;
}

static void owner_drop(struct devtable *t, uint32_t ip)
{
	struct ip_owner *o = owner_find(t, ip);
	if (!o)
		return;
	map_del(t, KEY_IPV4 | ip);
	o->used = false;
}

static struct ip_owner *owner_new(struct devtable *t, uint32_t ip, uint32_t dev)
{
	/* at most DEV_V4_MAX owned addresses per entry, so a free record exists
	 * whenever the table is consistent; the scan starts at a moving hint */
	for (uint32_t n = 0; n < t->owners_cap; n++) {
		uint32_t i = (t->owners_free_hint + n) % t->owners_cap;
		if (!t->owners[i].used) {
			t->owners_free_hint = (i + 1) % t->owners_cap;
			memset(&t->owners[i], 0, sizeof(t->owners[i]));
			t->owners[i].used = true;
			t->owners[i].ip = ip;
			t->owners[i].dev = dev;
			map_put(t, KEY_IPV4 | ip, i + 1);
			return &t->owners[i];
		}
	}
	t->owner_full++;
	return NULL;
}

static void v4_remove(struct dev_entry *d, uint32_t ip)
{
	for (unsigned i = 0; i < d->n4; i++) {
		if (d->ipv4[i] == ip) {
			memmove(&d->ipv4[i], &d->ipv4[i + 1], (d->n4 - i - 1) * sizeof(d->ipv4[0]));
			d->n4--;
			return;
		}
	}
}

static void entry_remove(struct devtable *t, struct dev_entry *d)
{
	for (unsigned i = 0; i < d->n4; i++)
		owner_drop(t, d->ipv4[i]);
	map_del(t, mac_key(d->mac));
	memset(d, 0, sizeof(*d));
	t->used--;
}

/* A free entry; when full, the CLOCK hand evicts one not seen since it last
 * passed (two rounds at most: the first clears every reference bit). */
static struct dev_entry *entry_alloc(struct devtable *t)
{
	for (uint32_t n = 0; n < 2 * t->cap + 1; n++) {
		struct dev_entry *d = &t->e[t->hand];
		t->hand = (t->hand + 1) % t->cap;
		if (!d->used)
			return d;
		if (t->used < t->cap)
			continue;
		if (d->ref) {
			d->ref = false;
			continue;
		}
		entry_remove(t, d);
		t->evictions++;
		return d;
	}
	return NULL;
}

static bool same_pair(const struct dev_event *e, uint8_t kind, uint32_t ip,
		      const uint8_t a[6], const uint8_t b[6])
{
	if (e->kind != kind || e->ip != ip)
		return false;
	if (memcmp(e->old_mac, a, 6) == 0 && memcmp(e->new_mac, b, 6) == 0)
		return true;
	/* a flip flop is the same event whichever way it flips */
	return kind == EV_FLIP_FLOP && memcmp(e->old_mac, b, 6) == 0 && memcmp(e->new_mac, a, 6) == 0;
}

static void event_note(struct devtable *t, uint8_t kind, uint32_t ip, const uint8_t old_mac[6],
		       const uint8_t new_mac[6], uint64_t now_rt, struct dev_event *out)
{
	t->events_total++;
	for (uint32_t i = 0; i < t->n_ev; i++) {
		if (same_pair(&t->ev[i], kind, ip, old_mac, new_mac)) {
			t->ev[i].count++;
			t->ev[i].time_rt = now_rt;
			return;
		}
	}
	if (t->n_ev == DEV_EVENTS_MAX) {       /* keep the newest */
		memmove(&t->ev[0], &t->ev[1], (DEV_EVENTS_MAX - 1) * sizeof(t->ev[0]));
		t->n_ev--;
	}
	struct dev_event *e = &t->ev[t->n_ev++];
	e->kind = kind;
	e->ip = ip;
	memcpy(e->old_mac, old_mac, 6);
	memcpy(e->new_mac, new_mac, 6);
	e->time_rt = now_rt;
	e->count = 1;
	*out = *e;
}

static void learn_v4(struct devtable *t, struct dev_entry *d, uint32_t ip, uint64_t now_rt,
		     struct dev_event *ev)
{
	uint32_t self = (uint32_t)(d - t->e);
	struct ip_owner *o = owner_find(t, ip);
	if (o && o->dev == self)
		return;
	if (o) {
		struct dev_entry *prev = &t->e[o->dev];
		uint8_t kind = o->has_prev && memcmp(o->prev_mac, d->mac, 6) == 0 ? EV_FLIP_FLOP
										    : EV_IP_MOVED;
		event_note(t, kind, ip, prev->mac, d->mac, now_rt, ev);
		memcpy(o->prev_mac, prev->mac, 6);
		o->has_prev = true;
		v4_remove(prev, ip);
		prev->changed = ++t->serial;
		o->dev = self;
	}
	if (d->n4 == DEV_V4_MAX) {             /* the oldest address gives way */
		owner_drop(t, d->ipv4[0]);
		v4_remove(d, d->ipv4[0]);
	}
	if (!o && !owner_new(t, ip, self))
		return;
	d->ipv4[d->n4++] = ip;
}

static void learn_v6(struct dev_entry *d, const uint8_t ip6[16])
{
	for (unsigned i = 0; i < d->n6; i++)
		if (memcmp(d->ipv6[i], ip6, 16) == 0)
			return;
	if (d->n6 < DEV_V6_MAX) {
		memcpy(d->ipv6[d->n6++], ip6, 16);
		return;
	}
	memcpy(d->ipv6[d->v6_next], ip6, 16);
	d->v6_next = (uint8_t)((d->v6_next + 1) % DEV_V6_MAX);
}

struct dev_entry *devtable_observe(struct devtable *t, const struct dev_obs *o,
				   uint64_t now_mono, uint64_t now_rt, struct dev_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	struct dev_entry *d = devtable_find(t, o->mac);
	if (!d) {
		d = entry_alloc(t);
		if (!d)
			return NULL;
		memset(d, 0, sizeof(*d));
		d->used = true;
		memcpy(d->mac, o->mac, 6);
		d->first_seen_rt = now_rt;
		map_put(t, mac_key(o->mac), (uint32_t)(d - t->e) + 1);
		t->used++;
	}
	d->ref = true;
	d->how |= o->how;
	d->status = DEV_ACTIVE;
	d->last_seen_rt = now_rt;
	d->last_seen_mono = now_mono;
	if (o->has_v4 && o->ipv4 != 0)
		learn_v4(t, d, o->ipv4, now_rt, ev);
	if (o->has_v6)
		learn_v6(d, o->ipv6);
	d->changed = ++t->serial;
	return d;
}

int devtable_name(struct devtable *t, struct dev_entry *d, uint8_t source, const char *name, uint64_t now_mono)
{
	size_t len = strnlen(name, DEV_NAME_MAX + 1);
	if (len == 0 || len > DEV_NAME_MAX)
		return -1;
	unsigned oldest = 0;
	for (unsigned i = 0; i < d->nnames; i++) {
		struct dev_name *n = &d->names[i];
		if (n->source == source && strcmp(n->name, name) == 0) {
			n->seen_mono = now_mono;
			return 0;
		}
		if (n->seen_mono < d->names[oldest].seen_mono)
			oldest = i;
	}
	struct dev_name *n = d->nnames < DEV_NAMES_MAX ? &d->names[d->nnames++] : &d->names[oldest];
	n->source = source;
	memcpy(n->name, name, len + 1);
	n->seen_mono = now_mono;
	d->changed = ++t->serial;
	return 1;
}

int devtable_about(struct devtable *t, struct dev_entry *d, const struct device_about *a)
{
	if (!about_ok(a))
		return -1;
	int changed = about_merge(&d->about, a);
	if (changed)
		d->changed = ++t->serial;
	return changed;
}

unsigned devtable_age(struct devtable *t, uint64_t now_mono)
{
	unsigned changed = 0;
	for (uint32_t i = 0; i < t->cap; i++) {
		struct dev_entry *d = &t->e[i];
		if (!d->used)
			continue;
		uint64_t idle = now_mono > d->last_seen_mono ? now_mono - d->last_seen_mono : 0;
		if (idle >= t->forget_ns) {
			entry_remove(t, d);
			t->removed++;
			changed++;
		} else if (idle >= t->timeout_ns && d->status == DEV_ACTIVE) {
			d->status = DEV_INACTIVE;
			d->changed = ++t->serial;
			changed++;
		}
	}
	return changed;
}
