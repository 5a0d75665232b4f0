#include "report.h"

#include <stdio.h>
#include <string.h>

#include "ifstat.h"
#include "link.h"
#include "log.h"

static uint32_t centi(double pct)
{
	if (!(pct >= 0))
		return 0;
	uint64_t v = ifstat_round_u64(pct * 100.0);
	return v > 10000 ? 10000 : (uint32_t)v;
}

static uint32_t load_centi(double v)
{
	uint64_t x = ifstat_round_u64(v * 100.0);
	return x < UINT32_MAX ? (uint32_t)x : UINT32_MAX;
}

static uint64_t cap63(uint64_t v)
{
	return v > WIRE_COUNTER_MAX ? WIRE_COUNTER_MAX : v;
}

void sysd_report_metrics(const struct sysd_sampler *s, struct wire_sys_metrics *out)
{
	memset(out, 0, offsetof(struct wire_sys_metrics, cpu));
	if (s->have_cpu) {
		out->present |= WIRE_SYS_HAVE_CPU;
		out->cpu_centi = centi(s->cpu_percent);
		for (unsigned i = 0; i < s->ncpu && i < WIRE_SYS_CPU_MAX; i++) {
			if (s->per_cpu[i] < 0)
				continue;
			out->cpu[out->ncpu].cpu = (uint16_t)i;
			out->cpu[out->ncpu].centi = (uint16_t)centi(s->per_cpu[i]);
			out->ncpu++;
		}
	}
	if (s->load.valid) {
		out->present |= WIRE_SYS_HAVE_LOAD;
		out->load_centi[0] = load_centi(s->load.load1);
		out->load_centi[1] = load_centi(s->load.load5);
		out->load_centi[2] = load_centi(s->load.load15);
	}
	if (s->have_online) {
		out->present |= WIRE_SYS_HAVE_ONLINE;
		out->cpus_online = s->online;
	}
	const struct mem_info *m = &s->mem;
	if (s->have_mem && m->have_total && m->total <= WIRE_COUNTER_MAX) {
		out->present |= WIRE_SYS_HAVE_MEM_TOTAL;
		out->mem_total = m->total;
		if (m->have_used) {
			out->present |= WIRE_SYS_HAVE_MEM_USED;
			out->mem_used = m->used;
		}
		if (m->have_available) {
			out->present |= WIRE_SYS_HAVE_MEM_AVAIL;
			out->mem_available = m->available;
		}
		if (m->have_percent) {
			out->present |= WIRE_SYS_HAVE_MEM_PERCENT;
			out->mem_percent_centi = centi(m->percent);
		}
	}
	if (s->have_mem && m->have_swap && m->swap_total <= WIRE_COUNTER_MAX) {
		out->present |= WIRE_SYS_HAVE_SWAP;
		out->swap_total = m->swap_total;
		out->swap_used = m->swap_used;
	}
	if (s->have_uptime && s->uptime_s <= WIRE_COUNTER_MAX) {
		out->present |= WIRE_SYS_HAVE_UPTIME;
		out->uptime_s = s->uptime_s;
	}
}

size_t sysd_report_disks(const struct sysd_sampler *s, struct wire_sys_disk *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < s->ndisks && n < cap; i++) {
		const struct disk_sample *d = &s->disks[i];
		struct wire_sys_disk *w = &out[n];
		if (strlen(d->mount->path) > WIRE_STR_MAX)
			continue;
		snprintf(w->mount, sizeof(w->mount), "%s", d->mount->path);
		snprintf(w->fstype, sizeof(w->fstype), "%s", d->mount->fstype);
		snprintf(w->device, sizeof(w->device), "%s", d->mount->device);
		w->total = cap63(d->usage.total);
		w->used = d->usage.used < w->total ? d->usage.used : w->total;
		w->free = d->usage.free < w->total ? d->usage.free : w->total;
		w->inodes_total = cap63(d->usage.inodes_total);
		w->inodes_used = d->usage.inodes_used < w->inodes_total ? d->usage.inodes_used : w->inodes_total;
		w->inodes_free = d->usage.inodes_free < w->inodes_total ? d->usage.inodes_free : w->inodes_total;
		w->percent_centi = centi(d->usage.percent);
		n++;
	}
	return n;
}

size_t sysd_report_ifaces(const struct sysd_sampler *s, struct wire_sys_iface *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; s->have_netifs && i < s->netifs.n && n < cap; i++) {
		const struct netif_state *st = &s->netifs.ifs[i];
		const struct netif_link *l = &st->link;
		struct wire_sys_iface *f = &out[n];
		if (!st->named)
			continue;
		memset(f, 0, sizeof(*f));
		snprintf(f->name, sizeof(f->name), "%s", l->name);
		f->ifindex = (uint32_t)l->ifindex;
		f->mtu = l->mtu;
		f->speed_mbps = st->speed_mbps > UINT32_MAX ? UINT32_MAX : (uint32_t)st->speed_mbps;
		f->operstate = l->operstate <= 6 ? l->operstate : 0;
		f->flags = (uint8_t)((l->have_stats ? WIRE_IF_HAVE_STATS : 0) |
				     (l->have_mtu ? WIRE_IF_HAVE_MTU : 0) |
				     (l->have_oper ? WIRE_IF_HAVE_OPER : 0));
		f->mac_len = l->mac_len <= sizeof(f->mac) ? l->mac_len : 0;
		memcpy(f->mac, l->mac, f->mac_len);
		f->rx_bytes = cap63(l->counter[NIC_RX_BYTES]);
		f->tx_bytes = cap63(l->counter[NIC_TX_BYTES]);
		f->rx_packets = cap63(l->counter[NIC_RX_PACKETS]);
		f->tx_packets = cap63(l->counter[NIC_TX_PACKETS]);
		f->rx_errors = cap63(l->counter[NIC_RX_ERRORS]);
		f->tx_errors = cap63(l->counter[NIC_TX_ERRORS]);
		f->rx_dropped = cap63(l->counter[NIC_RX_DROPPED]);
		f->tx_dropped = cap63(l->counter[NIC_TX_DROPPED]);
		f->rx_rate_bps = cap63(ifstat_round_u64(st->rate_bps[0]));
		f->tx_rate_bps = cap63(ifstat_round_u64(st->rate_bps[1]));
		f->resets = cap63(st->resets);
		n++;
	}
	return n;
}

/* The longest prefix of the list that fits in one record. */
static size_t fitting(size_t n, size_t (*size)(const void *, size_t), const void *arr)
{
	size_t len = WIRE_HDR_LEN + WIRE_SYS_LIST_HDR_LEN, k;
	for (k = 0; k < n; k++) {
		size_t e = size(arr, k);
		if (len + e > WIRE_MAX_LEN)
			break;
		len += e;
	}
	return k;
}

static size_t disk_size_at(const void *arr, size_t i)
{
	return wire_sys_disk_size(&((const struct wire_sys_disk *)arr)[i]);
}

static size_t iface_size_at(const void *arr, size_t i)
{
	return wire_sys_iface_size(&((const struct wire_sys_iface *)arr)[i]);
}

static void note_left_out(struct sysd_report *r, size_t n, size_t k, const char *what)
{
	if (k < n) {
		if (r->left_out == 0)
			log_warnx("%zu %s do not fit in one record; left out", n - k, what);
		r->left_out += n - k;
	}
}

size_t sysd_report_encode(struct sysd_report *r, const struct sysd_sampler *s, uint8_t type,
			  uint64_t seq)
{
	size_t n, k;
	switch (type) {
	case WIRE_SYS_METRICS:
		sysd_report_metrics(s, &r->metrics);
		return wire_put_sys_metrics(r->buf, sizeof(r->buf), seq, &r->metrics);
	case WIRE_SYS_DISKS:
		n = sysd_report_disks(s, r->disks, MOUNT_MAX);
		k = fitting(n, disk_size_at, r->disks);
		note_left_out(r, n, k, "mounts");
		return wire_put_sys_disks(r->buf, sizeof(r->buf), seq, r->disks, k);
	case WIRE_SYS_IFACES:
		n = sysd_report_ifaces(s, r->ifaces, NETIF_MAX);
		k = fitting(n, iface_size_at, r->ifaces);
		note_left_out(r, n, k, "interfaces");
		return wire_put_sys_ifaces(r->buf, sizeof(r->buf), seq, r->ifaces, k);
	}
	return 0;
}

void sysd_report_send(struct sysd_report *r, const struct sysd_sampler *s,
		      struct helper_link *l)
{
	static const uint8_t types[] = { WIRE_SYS_METRICS, WIRE_SYS_DISKS, WIRE_SYS_IFACES };
	for (size_t i = 0; i < sizeof(types); i++) {
		size_t len = sysd_report_encode(r, s, types[i], link_next_seq(l));
		if (len == 0) {
			log_warnx("cannot encode a %s record", wire_type_name(types[i]));
			continue;
		}
		link_send(l, r->buf, len);
	}
}
