#include "offline.h"

#include <inttypes.h>
#include <pcap/pcap.h>
#include <string.h>
#include <sys/random.h>

#include "account.h"
#include "decode.h"
#include "dump.h"
#include "log.h"
#include "table.h"

struct offline_ctx {
	struct capd_account acct;
	int dlt;
};

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct offline_ctx *ctx = (struct offline_ctx *)user;
	capd_account_frame(&ctx->acct, ctx->dlt, bytes, h->caplen, h->len);
}

/* Random hash key: addresses come from the network, so nobody should be
 * able to predict which of them share a probe run. */
static void table_seed(uint64_t seed[2])
{
	if (getrandom(seed, 2 * sizeof(seed[0]), 0) != (ssize_t)(2 * sizeof(seed[0]))) {
		seed[0] = 0x243f6a8885a308d3ull;   /* only without getrandom; still correct */
		seed[1] = 0x13198a2e03707344ull;
	}
}

/* Where libpcap stood in the file when it failed: the end of what it read. */
static long file_offset(pcap_t *p)
{
	FILE *f = pcap_file(p);
	return f ? ftell(f) : -1;
}

int capd_offline_run(const struct capd_offline_opts *o, FILE *out)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct capd_table table;
	struct offline_ctx ctx;
	uint64_t seed[2];
	int status = 1;

	pcap_t *p = pcap_open_offline(o->path, errbuf);
	if (!p) {
		/* libpcap names the file itself when fopen fails; say it once */
		size_t n = strlen(o->path);
		if (strncmp(errbuf, o->path, n) == 0 && errbuf[n] == ':')
			log_warnx("%s", errbuf);
		else
			log_warnx("%s: %s", o->path, errbuf);
		return 1;
	}
	ctx.dlt = pcap_datalink(p);
	if (!capd_decode_supported(ctx.dlt)) {
		const char *name = pcap_datalink_val_to_name(ctx.dlt);
		log_warnx("%s: link type %d (%s) is not supported", o->path, ctx.dlt,
			  name ? name : "unknown");
		pcap_close(p);
		return 1;
	}
	table_seed(seed);
	if (capd_table_init(&table, o->max_devices, seed) != 0) {
		log_warn("%s: table of %" PRIu32 " entries", o->path, o->max_devices);
		pcap_close(p);
		return 1;
	}
	capd_account_init(&ctx.acct, &table, o->networks, o->all_addresses);

	int rc = pcap_loop(p, -1, on_packet, (u_char *)&ctx);
	if (rc == PCAP_ERROR) {
		log_warnx("%s: %s (at byte offset %ld, after %" PRIu64 " packets)", o->path,
			  pcap_geterr(p), file_offset(p), ctx.acct.frames);
		goto done;
	}
	if (table.evictions > 0)
		log_warnx("%s: table full (%" PRIu32 " entries): %" PRIu64
			  " entries evicted, their counters are not in the output",
			  o->path, table.capacity, table.evictions);
	if (o->dump && capd_dump_json(&table, out) != 0) {
		log_warn("writing the dump");
		goto done;
	}
	if (!o->dump)
		log_info("%s: %" PRIu64 " packets, %" PRIu64 " bytes, %" PRIu32
			 " table entries, %" PRIu64 " evictions", o->path, ctx.acct.frames,
			 ctx.acct.bytes, capd_table_count(&table), table.evictions);
	status = 0;
done:
	capd_table_free(&table);
	pcap_close(p);
	return status;
}
