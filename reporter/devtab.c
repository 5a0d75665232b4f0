#include "devtab.h"

#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "sched.h"

static uint32_t capacity_of(size_t n)
{
	if (n == 0)
		return 1;
	return n > KEYTAB_MAX_CAPACITY ? KEYTAB_MAX_CAPACITY : (uint32_t)n;
}

int devtab_init(struct devtab *t, size_t mac_capacity, size_t ip_capacity)
{
	memset(t, 0, sizeof(*t));
	if (keytab_init_random(&t->mac, capacity_of(mac_capacity), sizeof(struct dev_entry)) != 0)
		return -1;
	if (keytab_init_random(&t->ip, capacity_of(ip_capacity), sizeof(struct dev_entry)) != 0) {
		keytab_free(&t->mac);
		return -1;
	}
	return 0;
}

void devtab_free(struct devtab *t)
{
	keytab_free(&t->mac);
	keytab_free(&t->ip);
	memset(t, 0, sizeof(*t));
}

static struct keytab *table_for(const struct devtab *t, uint8_t kind)
{
	return (struct keytab *)(kind == WIRE_KEY_MAC ? &t->mac : &t->ip);
}

const struct dev_entry *devtab_find(const struct devtab *t, uint8_t kind, const uint8_t addr[16])
{
	return (const struct dev_entry *)(const void *)keytab_find(table_for(t, kind), kind,
								   keytab_key_load(addr));
}

/* Totals stop at the largest counter instead of wrapping (a JSON consumer
 * reads a signed 64-bit integer): a peer restarting over and over with huge
 * counters cannot make one go backwards. */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
	if (a >= WIRE_COUNTER_MAX || b >= WIRE_COUNTER_MAX - a)
		return WIRE_COUNTER_MAX;
	return a + b;
}

const char *devtab_verdict_name(enum devtab_verdict v)
{
	switch (v) {
	case DEVTAB_OK:
		return "accepted";
	case DEVTAB_BACKWARDS:
		return "a counter went backwards";
	case DEVTAB_TOO_FAST:
		return "a counter grew faster than any link";
	case DEVTAB_FRAMES_GT_BYTES:
		return "more frames than bytes";
	case DEVTAB_SERIAL_BACKWARDS:
		return "the creation serial went backwards";
	case DEVTAB_DUPLICATE:
		return "the key twice in one record";
	case DEVTAB_GROUP_RX:
		return "received traffic for a group MAC";
	case DEVTAB_NOT_LOCAL:
		return "an address outside networks";
	case DEVTAB_NVERDICTS:
		break;
	}
	return "?";
}

void devtab_begin_batch(struct devtab *t)
{
	if (++t->batch == 0)
		t->batch = 1;
}

/* What no capd entry can say, whatever came before it. */
static enum devtab_verdict check_values(const struct devtab *t, const struct wire_device *d)
{
	if (d->kind != WIRE_KEY_MAC && t->networks && t->networks->n &&
	    !cidr_list_contains(t->networks, d->kind == WIRE_KEY_IPV4 ? AF_INET : AF_INET6, d->addr))
		return DEVTAB_NOT_LOCAL;
	/* every frame has at least one byte (an Ethernet header has 14) */
	if (d->rx_packets > d->rx_bytes || d->tx_packets > d->tx_bytes)
		return DEVTAB_FRAMES_GT_BYTES;
	if (d->kind == WIRE_KEY_MAC && (d->addr[0] & 1) && (d->rx_bytes || d->rx_packets))
		return DEVTAB_GROUP_RX;
	return DEVTAB_OK;
}

/* The next record of the same capd entry: counters only grow, and not
 * faster than a link can carry in the time since the last one (at least a
 * second counted, so a backlog read at once is not mistaken for a burst). */
static enum devtab_verdict check_growth(const struct dev_entry *e, const uint64_t v[],
					uint64_t now_ns)
{
	for (int k = 0; k < DEV_NCOUNTERS; k++)
		if (v[k] < e->cur[k])
			return DEVTAB_BACKWARDS;
	if (e->seen_ns == 0 || now_ns < e->seen_ns)
		return DEVTAB_OK;
	uint64_t secs = (now_ns - e->seen_ns) / NSEC_PER_SEC + 1;
	for (int k = 0; k < DEV_NCOUNTERS; k++) {
		uint64_t max = k == DEV_RX_BYTES || k == DEV_TX_BYTES ? DEVTAB_MAX_BYTES_PER_S
								    : DEVTAB_MAX_PACKETS_PER_S;
		if ((v[k] - e->cur[k]) / max > secs)
			return DEVTAB_TOO_FAST;
	}
	return DEVTAB_OK;
}

static enum devtab_verdict refuse(struct devtab *t, enum devtab_verdict v)
{
	t->refused[v]++;
	return v;
}

enum devtab_verdict devtab_update(struct devtab *t, uint64_t instance_id,
				  const struct wire_device *d, uint64_t now_ns)
{
	const uint64_t v[DEV_NCOUNTERS] = { d->rx_bytes, d->tx_bytes, d->rx_packets,
					    d->tx_packets };
	enum devtab_verdict verdict = check_values(t, d);
	if (verdict != DEVTAB_OK)
		return refuse(t, verdict);   /* before the lookup: no key made, none evicted */

	struct keytab *kt = table_for(t, d->kind);
	uint64_t serial_before = kt->next_serial;
	struct dev_entry *e = (struct dev_entry *)(void *)keytab_get_stride(
		kt, d->kind, keytab_key_load(d->addr), sizeof(struct dev_entry));
	if (kt->next_serial != serial_before) {
		/* first sighting: these totals are a baseline, not this window's traffic */
		e->instance_id = instance_id;
		e->created = d->created;
		memcpy(e->cur, v, sizeof(v));
		memcpy(e->window_start, v, sizeof(v));
		e->changed_ns = now_ns;
		e->seen_ns = now_ns;
		e->batch = t->batch;
		return DEVTAB_OK;
	}
	if (t->batch != 0 && e->batch == t->batch)
		return refuse(t, DEVTAB_DUPLICATE);
	bool same_instance = e->instance_id == instance_id;
	if (same_instance && d->created < e->created)
		return refuse(t, DEVTAB_SERIAL_BACKWARDS);
	bool restarted = !same_instance || e->created != d->created;
	if (!restarted && (verdict = check_growth(e, v, now_ns)) != DEVTAB_OK)
		return refuse(t, verdict);
	if (restarted) {
		for (int k = 0; k < DEV_NCOUNTERS; k++) {
			e->base[k] = sat_add(e->base[k], e->cur[k]);
			e->cur[k] = 0;
		}
		e->instance_id = instance_id;
		e->created = d->created;
	}
	for (int k = 0; k < DEV_NCOUNTERS; k++)
		if (sat_add(e->base[k], v[k]) == WIRE_COUNTER_MAX) {
			t->clamped++;
			break;
		}
	if (memcmp(e->cur, v, sizeof(v)) != 0 || restarted)
		e->changed_ns = now_ns;
	memcpy(e->cur, v, sizeof(v));
	e->seen_ns = now_ns;
	e->batch = t->batch;
	if (e->rebase) {
		for (int k = 0; k < DEV_NCOUNTERS; k++)
			e->window_start[k] = devtab_total(e, k);
		e->rebase = 0;
	}
	return DEVTAB_OK;
}

/* Held at WIRE_COUNTER_MAX: a JSON consumer reads a signed 64-bit integer. */
uint64_t devtab_total(const struct dev_entry *e, int counter)
{
	return sat_add(e->base[counter], e->cur[counter]);
}

uint64_t devtab_replaced(const struct devtab *t)
{
	return t->mac.evictions + t->ip.evictions;
}

static void mark_table(struct keytab *kt)
{
	for (uint32_t i = 0; i < keytab_count(kt); i++) {
		struct dev_entry *e = (struct dev_entry *)(void *)keytab_at(kt, i);
		for (int k = 0; k < DEV_NCOUNTERS; k++)
			e->window_start[k] = devtab_total(e, k);
	}
}

void devtab_mark_window(struct devtab *t)
{
	mark_table(&t->mac);
	mark_table(&t->ip);
}

size_t devtab_count(const struct devtab *t)
{
	return (size_t)keytab_count(&t->mac) + keytab_count(&t->ip);
}

bool devtab_next(const struct devtab *t, size_t *iter, struct devtab_saved *out)
{
	size_t nmac = keytab_count(&t->mac);
	if (*iter >= devtab_count(t))
		return false;
	const struct dev_entry *e = *iter < nmac ? devtab_at(&t->mac, (uint32_t)*iter)
						 : devtab_at(&t->ip, (uint32_t)(*iter - nmac));
	out->kind = e->kind;
	memcpy(out->addr, e->key, 16);
	out->instance_id = e->instance_id;
	out->created = e->created;
	memcpy(out->base, e->base, sizeof(out->base));
	memcpy(out->cur, e->cur, sizeof(out->cur));
	(*iter)++;
	return true;
}

int devtab_restore(struct devtab *t, const struct devtab_saved *in)
{
	if (in->kind < WIRE_KEY_MAC || in->kind > WIRE_KEY_IPV6)
		return -1;
	for (int k = 0; k < DEV_NCOUNTERS; k++)
		if (in->base[k] > UINT64_MAX - in->cur[k])
			return -1;
	struct keytab *kt = table_for(t, in->kind);
	struct keytab_key key = keytab_key_load(in->addr);
	if (kt->count >= kt->capacity || keytab_find(kt, in->kind, key))
		return -1;
	struct dev_entry *e = (struct dev_entry *)(void *)keytab_get_stride(
		kt, in->kind, key, sizeof(struct dev_entry));
	e->instance_id = in->instance_id;
	e->created = in->created;
	memcpy(e->base, in->base, sizeof(e->base));
	memcpy(e->cur, in->cur, sizeof(e->cur));
	for (int k = 0; k < DEV_NCOUNTERS; k++)
		e->window_start[k] = devtab_total(e, k);
	e->changed_ns = 0;
	e->rebase = 1;
	return 0;
}
