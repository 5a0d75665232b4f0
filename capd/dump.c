#include "dump.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cidr.h"

/* Kind order is the output order: MAC (1) < IPv4 (2) < IPv6 (3). */
static int entry_cmp(const void *pa, const void *pb)
{
	const struct capd_table_entry *a = *(const struct capd_table_entry *const *)pa;
	const struct capd_table_entry *b = *(const struct capd_table_entry *const *)pb;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return memcmp(a->key, b->key, sizeof(a->key));
}

static void print_entry(const struct capd_table_entry *e, FILE *out)
{
	char buf[ADDR_STRLEN];
	const char *field = "ip";

	switch (e->kind) {
	case CAPD_KEY_MAC:
		field = "mac";
		mac_format(e->key, buf, sizeof(buf));
		break;
	case CAPD_KEY_IPV4:
		addr_format(AF_INET, e->key, buf, sizeof(buf));
		break;
	default:
		addr_format(AF_INET6, e->key, buf, sizeof(buf));
		break;
	}
	fprintf(out, "{\"%s\":\"%s\",\"rxBytes\":%" PRIu64 ",\"txBytes\":%" PRIu64
		",\"rxPackets\":%" PRIu64 ",\"txPackets\":%" PRIu64 "}\n",
		field, buf, e->rx_bytes, e->tx_bytes, e->rx_packets, e->tx_packets);
}

int capd_dump_json(const struct capd_table *t, FILE *out)
{
	uint32_t n = capd_table_count(t);
	const struct capd_table_entry **v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -1;
	for (uint32_t i = 0; i < n; i++)
		v[i] = capd_table_at(t, i);
	qsort(v, n, sizeof(*v), entry_cmp);
	for (uint32_t i = 0; i < n; i++)
		print_entry(v[i], out);
	free(v);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
