#include "dump.h"

#include <inttypes.h>
#include <string.h>

#include "ifstat.h"

/* Strings reaching here are clean UTF-8 (checked by the parsers): only the
 * quote and the backslash need escaping. */
static void put_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static double pct2(double v)
{
	return ifstat_round2(v);
}

static void dump_metrics(const struct sysd_sampler *s, FILE *out)
{
	const char *sep = "";
	fputs("\"metrics\":{", out);
	fputs("\"cpu\":{", out);
	if (s->have_cpu) {
		fprintf(out, "\"percent\":%.2f,\"perCpu\":[", pct2(s->cpu_percent));
		for (unsigned i = 0, first = 1; i < s->ncpu; i++) {
			if (s->per_cpu[i] < 0)
				continue;
			fprintf(out, "%s{\"cpu\":%u,\"percent\":%.2f}", first ? "" : ",", i,
				pct2(s->per_cpu[i]));
			first = 0;
		}
		fputs("]", out);
		sep = ",";
	}
	if (s->load.valid) {
		fprintf(out, "%s\"loadAverage\":[%.2f,%.2f,%.2f]", sep, s->load.load1, s->load.load5,
			s->load.load15);
		sep = ",";
	}
	if (s->have_online)
		fprintf(out, "%s\"cpusOnline\":%u", sep, s->online);
	fputs("},\"memory\":{", out);
	sep = "";
	const struct mem_info *m = &s->mem;
	if (s->have_mem) {
		if (m->have_total) {
			fprintf(out, "\"totalBytes\":%" PRIu64, m->total);
			sep = ",";
		}
		if (m->have_used) {
			fprintf(out, "%s\"usedBytes\":%" PRIu64, sep, m->used);
			sep = ",";
		}
		if (m->have_available) {
			fprintf(out, "%s\"freeBytes\":%" PRIu64, sep, m->available);
			sep = ",";
		}
		if (m->have_percent) {
			fprintf(out, "%s\"percentUsed\":%.2f", sep, pct2(m->percent));
			sep = ",";
		}
		if (m->have_swap)
			fprintf(out, "%s\"swapTotalBytes\":%" PRIu64 ",\"swapUsedBytes\":%" PRIu64, sep,
				m->swap_total, m->swap_used);
	}
	fputs("},\"disk\":[", out);
	for (size_t i = 0; i < s->ndisks; i++) {
		const struct disk_sample *d = &s->disks[i];
		fprintf(out, "%s{\"mount\":", i ? "," : "");
		put_str(out, d->mount->path);
		fprintf(out, ",\"totalBytes\":%" PRIu64 ",\"usedBytes\":%" PRIu64
			",\"freeBytes\":%" PRIu64 ",\"percentUsed\":%.2f,\"fsType\":",
			d->usage.total, d->usage.used, d->usage.free, pct2(d->usage.percent));
		put_str(out, d->mount->fstype);
		fputs(",\"device\":", out);
		put_str(out, d->mount->device);
		fprintf(out, ",\"inodesTotal\":%" PRIu64 ",\"inodesUsed\":%" PRIu64
			",\"inodesFree\":%" PRIu64 "}",
			d->usage.inodes_total, d->usage.inodes_used, d->usage.inodes_free);
	}
	fputs("]", out);
	if (s->have_uptime)
		fprintf(out, ",\"uptimeSeconds\":%" PRIu64, s->uptime_s);
	fputs("}", out);
}

static void dump_interfaces(const struct sysd_sampler *s, FILE *out)
{
	const char *sep = "";
	fputs("\"interfaces\":[", out);
	for (size_t i = 0; s->have_netifs && i < s->netifs.n; i++) {
		const struct netif_state *n = &s->netifs.ifs[i];
		const struct netif_link *l = &n->link;
		char mac[3 * sizeof(l->mac)];
		if (!n->named)
			continue;
		fprintf(out, "%s{\"interfaceName\":", sep);
		sep = ",";
		put_str(out, l->name);
		fprintf(out, ",\"linkSpeedMbps\":%" PRIu64, n->speed_mbps);
		if (l->have_stats)
			fprintf(out, ",\"rxBytesTotal\":%" PRIu64 ",\"txBytesTotal\":%" PRIu64
				",\"rxRateBps\":%.0f,\"txRateBps\":%.0f,\"utilizationPercent\":%.2f"
				",\"rxPackets\":%" PRIu64 ",\"txPackets\":%" PRIu64
				",\"rxErrors\":%" PRIu64 ",\"txErrors\":%" PRIu64
				",\"rxDropped\":%" PRIu64 ",\"txDropped\":%" PRIu64,
				l->counter[NIC_RX_BYTES], l->counter[NIC_TX_BYTES],
				n->rate_bps[0], n->rate_bps[1],
				ifstat_utilization(n->rate_bps[0], n->rate_bps[1], n->speed_mbps),
				l->counter[NIC_RX_PACKETS], l->counter[NIC_TX_PACKETS],
				l->counter[NIC_RX_ERRORS], l->counter[NIC_TX_ERRORS],
				l->counter[NIC_RX_DROPPED], l->counter[NIC_TX_DROPPED]);
		if (l->have_oper)
			fprintf(out, ",\"operState\":\"%s\"", ifstat_operstate_name(l->operstate));
		if (l->have_mtu)
			fprintf(out, ",\"mtu\":%" PRIu32, l->mtu);
		ifstat_format_mac(l->mac, l->mac_len, mac, sizeof(mac));
		fputs(",\"mac\":", out);
		put_str(out, mac);
		fprintf(out, ",\"counterResets\":%" PRIu64 "}", n->resets);
	}
	fputs("]", out);
}

int sysd_dump_json(const struct sysd_sampler *s, FILE *out)
{
	fputs("{", out);
	dump_metrics(s, out);
	fputs(",", out);
	dump_interfaces(s, out);
	fputs("}\n", out);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
