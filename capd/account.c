/* Applies SPEC §4's crediting rules to decoded frames. Allocation-free. */
#include "account.h"

#include <string.h>
#include <sys/socket.h>

#include "decode.h"
#include "decode_inline.h"

void capd_account_init(struct capd_account *a, struct capd_table *table,
		       const struct cidr_list *networks, bool all_addresses)
{
	a->table = table;
	a->all_addresses = all_addresses;
	a->n_nets4 = 0;
	a->n_nets6 = 0;
	for (size_t i = 0; i < networks->n && i < CIDR_LIST_MAX; i++) {
		const struct cidr *c = &networks->v[i];
		uint8_t mask[16] = { 0 };
		for (unsigned bit = 0; bit < c->prefix && bit < 128; bit++)
			mask[bit / 8] |= (uint8_t)(0x80u >> (bit % 8));
		if (c->net.family == AF_INET) {
			struct capd_net4 *n = &a->nets4[a->n_nets4++];
			memcpy(&n->addr, c->net.bytes, 4);
			memcpy(&n->mask, mask, 4);
			n->addr &= n->mask;            /* cidr_parse clears host bits; be sure */
		} else if (c->net.family == AF_INET6) {
			struct capd_net6 *n = &a->nets6[a->n_nets6++];
			memcpy(n->addr, c->net.bytes, 16);
			memcpy(n->mask, mask, 16);
			n->addr[0] &= n->mask[0];
			n->addr[1] &= n->mask[1];
		}
	}
	a->frames = 0;
	a->bytes = 0;
}

/* Same answers as cidr_list_contains(), without a memcmp per prefix: one
 * masked compare per network of the address's family. */
static inline bool is_local4(const struct capd_account *a, uint32_t addr)
{
	for (size_t i = 0; i < a->n_nets4; i++)
		if ((addr & a->nets4[i].mask) == a->nets4[i].addr)
			return true;
	return false;
}

static inline bool is_local6(const struct capd_account *a, struct capd_key k)
{
	for (size_t i = 0; i < a->n_nets6; i++) {
		const struct capd_net6 *n = &a->nets6[i];
		if ((((k.lo & n->mask[0]) ^ n->addr[0]) | ((k.hi & n->mask[1]) ^ n->addr[1])) == 0)
			return true;
	}
	return false;
}

static inline void credit_tx(struct capd_table *t, uint8_t kind, struct capd_key k, uint32_t bytes)
{
	struct capd_table_entry *e = capd_table_get_key(t, kind, k);
	e->tx_bytes += bytes;
	e->tx_packets++;
	e->dirty = 1;
}

static inline void credit_rx(struct capd_table *t, uint8_t kind, struct capd_key k, uint32_t bytes)
{
	struct capd_table_entry *e = capd_table_get_key(t, kind, k);
	e->rx_bytes += bytes;
	e->rx_packets++;
	e->dirty = 1;
}

/*
 * The per-packet path, kept in one function so that nothing on it is a call:
 * the decoder is compiled in (decode_inline.h), keys are built in registers
 * straight from the frame's bytes, and the table's lookup is inline up to
 * an insertion. Keys are looked up in the order they are credited, so
 * insertion serials and evictions come out as before.
 */
void capd_account_frame(struct capd_account *a, int dlt, const uint8_t *data,
			uint32_t caplen, uint32_t wirelen)
{
	struct capd_table *t = a->table;
	struct capd_frame_info f;

	a->frames++;
	a->bytes += wirelen;
	capd_decode_frame_inline(dlt, data, caplen, wirelen, &f);

	if (f.flags & CAPD_FRAME_MAC_SRC)
		credit_tx(t, CAPD_KEY_MAC, capd_key_mac(f.mac_src), wirelen);
	if (f.flags & CAPD_FRAME_MAC_DST)
		credit_rx(t, CAPD_KEY_MAC, capd_key_mac(f.mac_dst), wirelen);
	if (!(f.flags & CAPD_FRAME_IP))
		return;
	if (f.ip_family == AF_INET) {
		uint32_t src, dst;
		memcpy(&src, f.ip_src, 4);
		memcpy(&dst, f.ip_dst, 4);
		if (a->all_addresses || is_local4(a, src))
			credit_tx(t, CAPD_KEY_IPV4, capd_key_ipv4(f.ip_src), wirelen);
		if (a->all_addresses || is_local4(a, dst))
			credit_rx(t, CAPD_KEY_IPV4, capd_key_ipv4(f.ip_dst), wirelen);
	} else {
		struct capd_key src = capd_key_load(f.ip_src), dst = capd_key_load(f.ip_dst);
		if (a->all_addresses || is_local6(a, src))
			credit_tx(t, CAPD_KEY_IPV6, src, wirelen);
		if (a->all_addresses || is_local6(a, dst))
			credit_rx(t, CAPD_KEY_IPV6, dst, wirelen);
	}
}
