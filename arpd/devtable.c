#include "devtable.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static struct keytab_key mac_key(const uint8_t mac[6])
{
	return keytab_key_mac(mac);
}

static struct keytab_key ipv4_key(uint32_t ip)
{
	return (struct keytab_key){ ip, 0 };
}

int devtable_init(struct devtable *t, uint32_t max_devices, uint64_t timeout_ns,
		  uint64_t forget_ns, const uint8_t key[16])
{
	memset(t, 0, sizeof(*t));
	if (max_devices == 0 || max_devices > DEV_MAX_DEVICES)
		return -1;
	uint64_t seed[2];
	memcpy(seed, key, sizeof(seed));
	/* every owned address is in some device's ipv4[], so the owners never
	 * outnumber DEV_V4_MAX per device */
	if (keytab_init(&t->devs, max_devices, sizeof(struct dev_entry), seed) != 0 ||
	    keytab_init(&t->owners, max_devices * DEV_V4_MAX, sizeof(struct ip_owner), seed) != 0) {
		devtable_free(t);
		return -1;
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
	keytab_free(&t->devs);
	keytab_free(&t->owners);
	memset(t, 0, sizeof(*t));
}

static uint32_t index_of(const struct devtable *t, const struct dev_entry *d)
{
	return (uint32_t)(((const unsigned char *)d - t->devs.entries) / t->devs.stride);
}

struct dev_entry *devtable_find(const struct devtable *t, const uint8_t mac[6])
{
	return (struct dev_entry *)(void *)keytab_find(&t->devs, DEV_KEY_MAC, mac_key(mac));
}

static struct ip_owner *owner_find(const struct devtable *t, uint32_t ip)
{
	return (struct ip_owner *)(void *)keytab_find(&t->owners, DEV_KEY_IPV4, ipv4_key(ip));
}

struct dev_entry *devtable_owner(const struct devtable *t, uint32_t ip)
{
	const struct ip_owner *o = owner_find(t, ip);
	return o ? devtable_at(t, o->dev) : NULL;
}

static void owner_drop(struct devtable *t, uint32_t ip)
{
	struct ip_owner *o = owner_find(t, ip);
	if (o)
		keytab_remove(&t->owners, &o->head);
}

static struct ip_owner *owner_new(struct devtable *t, uint32_t ip, uint32_t dev)
{
	if (keytab_count(&t->owners) == t->owners.capacity) {
		t->owner_full++;          /* cannot happen while the table is consistent */
		return NULL;
	}
	struct ip_owner *o = (struct ip_owner *)(void *)keytab_get(&t->owners, DEV_KEY_IPV4,
								  ipv4_key(ip));
	o->ip = ip;
	o->dev = dev;
	return o;
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

/* Remove a device and the addresses it owns. The last device moves into
 * its place: its addresses' owners follow it. */
static void entry_remove(struct devtable *t, struct dev_entry *d)
{
	for (unsigned i = 0; i < d->n4; i++)
		owner_drop(t, d->ipv4[i]);
	uint32_t at = index_of(t, d);
	if (keytab_remove(&t->devs, &d->head) == UINT32_MAX)
		return;
	for (unsigned i = 0; i < d->n4; i++) {   /* d now holds the moved device */
		struct ip_owner *o = owner_find(t, d->ipv4[i]);
		if (o)
			o->dev = at;
	}
}

/* The entry for a new MAC; when the table is full the CLOCK hand first
 * evicts a device not seen since it last passed. */
static struct dev_entry *entry_new(struct devtable *t, const uint8_t mac[6])
{
	struct keytab_head *victim = keytab_victim(&t->devs);
	if (victim) {
		entry_remove(t, (struct dev_entry *)(void *)victim);
		t->evictions++;
	}
	return (struct dev_entry *)(void *)keytab_get(&t->devs, DEV_KEY_MAC, mac_key(mac));
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
	uint32_t self = index_of(t, d);
	struct ip_owner *o = owner_find(t, ip);
	if (o && o->dev == self)
		return;
	if (o) {
		struct dev_entry *prev = devtable_at(t, o->dev);
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
		d = entry_new(t, o->mac);     /* zeroed past the head */
		memcpy(d->mac, o->mac, 6);
		d->first_seen_rt = now_rt;
	}
	d->referenced = 1;
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
	for (uint32_t i = 0; i < devtable_count(t);) {
		struct dev_entry *d = devtable_at(t, i);
		uint64_t idle = now_mono > d->last_seen_mono ? now_mono - d->last_seen_mono : 0;
		if (idle >= t->forget_ns) {
			entry_remove(t, d);   /* the last device moved to i: look at it next */
			t->removed++;
			changed++;
			continue;
		}
		if (idle >= t->timeout_ns && d->status == DEV_ACTIVE) {
			d->status = DEV_INACTIVE;
			d->changed = ++t->serial;
			changed++;
		}
		i++;
	}
	return changed;
}
