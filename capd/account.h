/*
 * SPEC §4 accounting: one frame in, counters in the table updated.
 * Decoding (decode.h) says what the frame is; this module applies the
 * crediting rules: tx to the source, rx to a unicast destination MAC, and
 * IP addresses only when inside `networks`.
 */
#ifndef NETMON_CAPD_ACCOUNT_H
#define NETMON_CAPD_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "cidr.h"
#include "table.h"

/* Local networks prepared for the per-packet test, one list per family, the
 * address (host bits clear) and mask in memory byte order: IPv4 as one
 * 32-bit word, IPv6 as two 64-bit words. */
struct capd_net4 {
	uint32_t addr, mask;
};

struct capd_net6 {
	uint64_t addr[2];
	uint64_t mask[2];
};

struct capd_account {
	struct capd_table *table;
	bool all_addresses;                /* true: every IP address is local */
	size_t n_nets4, n_nets6;
	struct capd_net4 nets4[CIDR_LIST_MAX];  /* local IPv4 networks */
	struct capd_net6 nets6[CIDR_LIST_MAX];  /* local IPv6 networks */
	uint64_t frames;                   /* frames seen */
	uint64_t bytes;                    /* their wire bytes */
};

void capd_account_init(struct capd_account *a, struct capd_table *table,
		       const struct cidr_list *networks, bool all_addresses);

/* Account one frame: `caplen` captured bytes of a `wirelen`-byte frame. */
void capd_account_frame(struct capd_account *a, int dlt, const uint8_t *data,
			uint32_t caplen, uint32_t wirelen);

#endif
