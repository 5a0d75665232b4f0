#include "devtab.h"

#include <stdbool.h>
#include <string.h>

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

void devtab_update(struct devtab *t, uint64_t instance_id, const struct wire_device *d,
		   uint64_t now_ns)
{
	const uint64_t v[DEV_NCOUNTERS] = { d->rx_bytes, d->tx_bytes, d->rx_packets,
					    d->tx_packets };
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
		return;
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
}

uint64_t devtab_total(const struct dev_entry *e, int counter)
{
	return e->base[counter] + e->cur[counter];
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
