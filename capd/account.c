/* Applies SPEC §4's crediting rules to decoded frames. Allocation-free. */
#include "account.h"

#include <string.h>
#include <sys/socket.h>

#include "decode.h"

void capd_account_init(struct capd_account *a, struct capd_table *table,
		       const struct cidr_list *networks, bool all_addresses)
{
	a->table = table;
	a->all_addresses = all_addresses;
	a->n_nets = 0;
	for (size_t i = 0; i < networks->n && i < CIDR_LIST_MAX; i++) {
		const struct cidr *c = &networks->v[i];
		uint8_t mask[16] = { 0 };
		for (unsigned bit = 0; bit < c->prefix && bit < 128; bit++)
			mask[bit / 8] |= (uint8_t)(0x80u >> (bit % 8));
		struct capd_net *n = &a->nets[a->n_nets++];
		n->family = c->net.family;
		memcpy(n->addr, c->net.bytes, 16);
		memcpy(n->mask, mask, 16);
		n->addr[0] &= n->mask[0];      /* cidr_parse clears host bits; be sure */
		n->addr[1] &= n->mask[1];
	}
	a->frames = 0;
	a->bytes = 0;
}

/* One key of the frame to credit: its hash is computed (and its bucket
 * prefetched) before any is looked up, so the cache misses overlap. */
struct credit {
	uint8_t kind;
	bool tx;
	const uint8_t *key;
	uint64_t hash;
};

static void credit(struct capd_table *t, const struct credit *c, uint32_t bytes)
{
	struct capd_table_entry *e = capd_table_get_hashed(t, c->kind, c->key, c->hash);
	if (c->tx) {
		e->tx_bytes += bytes;
		e->tx_packets++;
	} else {
		e->rx_bytes += bytes;
		e->rx_packets++;
	}
	e->dirty = 1;
}

/* Same answer as cidr_list_contains(), without a memcmp per prefix:
 * addr is a zero-padded 16-byte key. */
static bool is_local(const struct capd_account *a, int family, const uint8_t *addr)
{
	uint64_t w[2];

	if (a->all_addresses)
		return true;
	memcpy(w, addr, 16);
	for (size_t i = 0; i < a->n_nets; i++) {
		const struct capd_net *n = &a->nets[i];
		if (n->family == family && ((w[0] & n->mask[0]) ^ n->addr[0]) == 0 &&
		    ((w[1] & n->mask[1]) ^ n->addr[1]) == 0)
			return true;
	}
	return false;
}

void capd_account_frame(struct capd_account *a, int dlt, const uint8_t *data,
			uint32_t caplen, uint32_t wirelen)
{
	struct capd_frame_info f;
	uint8_t mac_src[16] = { 0 }, mac_dst[16] = { 0 };
	struct credit c[4];
	size_t n = 0;

	a->frames++;
	a->bytes += wirelen;
	capd_decode_frame(dlt, data, caplen, wirelen, &f);

	if (f.flags & CAPD_FRAME_MAC_SRC) {
		memcpy(mac_src, f.mac_src, 6);
		c[n++] = (struct credit){ CAPD_KEY_MAC, true, mac_src, 0 };
	}
	if (f.flags & CAPD_FRAME_MAC_DST) {
		memcpy(mac_dst, f.mac_dst, 6);
		c[n++] = (struct credit){ CAPD_KEY_MAC, false, mac_dst, 0 };
	}
	if (f.flags & CAPD_FRAME_IP) {
		uint8_t kind = f.ip_family == AF_INET ? CAPD_KEY_IPV4 : CAPD_KEY_IPV6;
		/* ip_src/ip_dst are already zero-padded 16-byte keys */
		if (is_local(a, f.ip_family, f.ip_src))
			c[n++] = (struct credit){ kind, true, f.ip_src, 0 };
		if (is_local(a, f.ip_family, f.ip_dst))
			c[n++] = (struct credit){ kind, false, f.ip_dst, 0 };
	}
	for (size_t i = 0; i < n; i++) {
		c[i].hash = capd_table_hash(a->table, c[i].kind, c[i].key);
		capd_table_prefetch(a->table, c[i].hash);
	}
	for (size_t i = 0; i < n; i++)
		credit(a->table, &c[i], wirelen);
}
