/* Applies SPEC §4's crediting rules to decoded frames. Allocation-free. */
#include "account.h"

#include <sys/socket.h>

#include "decode.h"

void capd_account_init(struct capd_account *a, struct capd_table *table,
		       const struct cidr_list *networks, bool all_addresses)
{
	a->table = table;
	a->networks = networks;
	a->all_addresses = all_addresses;
	a->frames = 0;
	a->bytes = 0;
}

static void credit_tx(struct capd_table *t, uint8_t kind, const uint8_t key[16], uint32_t bytes)
{
	struct capd_table_entry *e = capd_table_get(t, kind, key);
	e->tx_bytes += bytes;
	e->tx_packets++;
	e->dirty = 1;
}

static void credit_rx(struct capd_table *t, uint8_t kind, const uint8_t key[16], uint32_t bytes)
{
	struct capd_table_entry *e = capd_table_get(t, kind, key);
	e->rx_bytes += bytes;
	e->rx_packets++;
	e->dirty = 1;
}

static bool is_local(const struct capd_account *a, int family, const uint8_t *addr)
{
	return a->all_addresses || cidr_list_contains(a->networks, family, addr);
}

void capd_account_frame(struct capd_account *a, int dlt, const uint8_t *data,
			uint32_t caplen, uint32_t wirelen)
{
	struct capd_frame_info f;
	uint8_t key[16];

	a->frames++;
	a->bytes += wirelen;
	capd_decode_frame(dlt, data, caplen, wirelen, &f);

	if (f.flags & CAPD_FRAME_MAC_SRC) {
		capd_table_key(key, f.mac_src, 6);
		credit_tx(a->table, CAPD_KEY_MAC, key, wirelen);
	}
	if (f.flags & CAPD_FRAME_MAC_DST) {
		capd_table_key(key, f.mac_dst, 6);
		credit_rx(a->table, CAPD_KEY_MAC, key, wirelen);
	}
	if (f.flags & CAPD_FRAME_IP) {
		uint8_t kind = f.ip_family == AF_INET ? CAPD_KEY_IPV4 : CAPD_KEY_IPV6;
		/* ip_src/ip_dst are already zero-padded 16-byte keys */
		if (is_local(a, f.ip_family, f.ip_src))
			credit_tx(a->table, kind, f.ip_src, wirelen);
		if (is_local(a, f.ip_family, f.ip_dst))
			credit_rx(a->table, kind, f.ip_dst, wirelen);
	}
}
