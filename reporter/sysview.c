#include "sysview.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ifstat.h"
#include "log.h"

#define DISKS_MAX 256
#define IFACES_MAX 1024

static bool alloc_once(struct sysview *v)
{
	if (v->metrics)
		return true;
	v->metrics = calloc(1, sizeof(*v->metrics));
	v->disks = calloc(DISKS_MAX, sizeof(*v->disks));
	v->ifaces = calloc(IFACES_MAX, sizeof(*v->ifaces));
	if (v->metrics && v->disks && v->ifaces)
		return true;
	log_warnx("sysd: out of memory for its records");
	sysview_free(v);
	return false;
}

void sysview_free(struct sysview *v)
{
	free(v->metrics);
	free(v->disks);
	free(v->ifaces);
	memset(v, 0, sizeof(*v));
}

void sysview_record(struct sysview *v, const struct wire_msg *m, uint64_t now_ns)
{
	struct wire_iter it;
	size_t n;

	if (m->hdr.type < WIRE_SYS_METRICS || m->hdr.type > WIRE_SYS_IFACES || !alloc_once(v))
		return;
	switch (m->hdr.type) {
	case WIRE_SYS_METRICS:
		if (wire_get_sys_metrics(m, v->metrics) == WIRE_OK)
			v->metrics_ns = now_ns;
		break;
	case WIRE_SYS_DISKS:
		/* wire_parse checked every entry: the loop ends at count */
		wire_sys_disks_begin(m, &it);
		for (n = 0; n < DISKS_MAX && wire_sys_disk_next(&it, &v->disks[n]); n++)
			;
		v->ndisks = n;
		v->disks_ns = now_ns;
		break;
	case WIRE_SYS_IFACES:
		wire_sys_ifaces_begin(m, &it);
		for (n = 0; n < IFACES_MAX && wire_sys_iface_next(&it, &v->ifaces[n]); n++)
			;
		v->nifaces = n;
		v->ifaces_ns = now_ns;
		break;
	}
}

static bool fresh(uint64_t at, uint64_t now, uint64_t max_age)
{
	return at != 0 && now >= at && now - at <= max_age;
}

static json_t *centi_json(uint32_t c)
{
	return json_real((double)c / 100.0);
}

json_t *sysview_metrics_json(const struct sysview *v, uint64_t now_ns, uint64_t max_age_ns)
{
	json_t *metrics = json_object();
	json_t *cpu = json_object(), *mem = json_object(), *disks = json_array();

	if (v->metrics && fresh(v->metrics_ns, now_ns, max_age_ns)) {
		const struct wire_sys_metrics *s = v->metrics;
		if (s->present & WIRE_SYS_HAVE_CPU) {
			json_t *per = json_array();
			json_object_set_new(cpu, "percent", centi_json(s->cpu_centi));
			for (size_t i = 0; i < s->ncpu; i++)
				json_array_append_new(per, json_pack("{s:i, s:o}", "cpu", (int)s->cpu[i].cpu,
								     "percent", centi_json(s->cpu[i].centi)));
			json_object_set_new(cpu, "perCpu", per);
		}
		if (s->present & WIRE_SYS_HAVE_LOAD)
			json_object_set_new(cpu, "loadAverage",
					    json_pack("[o, o, o]", centi_json(s->load_centi[0]),
						      centi_json(s->load_centi[1]),
						      centi_json(s->load_centi[2])));
		if (s->present & WIRE_SYS_HAVE_ONLINE)
			json_object_set_new(cpu, "cpusOnline", json_integer(s->cpus_online));
		if (s->present & WIRE_SYS_HAVE_MEM_TOTAL)
			json_object_set_new(mem, "totalBytes", json_integer((json_int_t)s->mem_total));
		if (s->present & WIRE_SYS_HAVE_MEM_USED)
			json_object_set_new(mem, "usedBytes", json_integer((json_int_t)s->mem_used));
		if (s->present & WIRE_SYS_HAVE_MEM_AVAIL)
			json_object_set_new(mem, "freeBytes", json_integer((json_int_t)s->mem_available));
		if (s->present & WIRE_SYS_HAVE_MEM_PERCENT)
			json_object_set_new(mem, "percentUsed", centi_json(s->mem_percent_centi));
		if (s->present & WIRE_SYS_HAVE_SWAP) {
			json_object_set_new(mem, "swapTotalBytes", json_integer((json_int_t)s->swap_total));
			json_object_set_new(mem, "swapUsedBytes", json_integer((json_int_t)s->swap_used));
		}
		if (s->present & WIRE_SYS_HAVE_UPTIME)
			json_object_set_new(metrics, "uptimeSeconds", json_integer((json_int_t)s->uptime_s));
	}
	if (v->disks && fresh(v->disks_ns, now_ns, max_age_ns)) {
		for (size_t i = 0; i < v->ndisks; i++) {
			const struct wire_sys_disk *d = &v->disks[i];
			json_array_append_new(disks, json_pack(
				"{s:s, s:I, s:I, s:I, s:o, s:s, s:s, s:I, s:I, s:I}",
				"mount", d->mount, "totalBytes", (json_int_t)d->total,
				"usedBytes", (json_int_t)d->used, "freeBytes", (json_int_t)d->free,
				"percentUsed", centi_json(d->percent_centi), "fsType", d->fstype,
				"device", d->device, "inodesTotal", (json_int_t)d->inodes_total,
				"inodesUsed", (json_int_t)d->inodes_used,
				"inodesFree", (json_int_t)d->inodes_free));
		}
	}
	json_object_set_new(metrics, "cpu", cpu);
	json_object_set_new(metrics, "memory", mem);
	json_object_set_new(metrics, "disk", disks);
	return metrics;
}

json_t *sysview_interfaces_json(const struct sysview *v, uint64_t now_ns, uint64_t max_age_ns)
{
	json_t *arr = json_array();
	if (!v->ifaces || !fresh(v->ifaces_ns, now_ns, max_age_ns))
		return arr;
	for (size_t i = 0; i < v->nifaces; i++) {
		const struct wire_sys_iface *f = &v->ifaces[i];
		char mac[3 * sizeof(f->mac)];
		ifstat_format_mac(f->mac, f->mac_len, mac, sizeof(mac));
		json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:f}",
				      "interfaceName", f->name,
				      "linkSpeedMbps", (json_int_t)f->speed_mbps,
				      "rxBytesTotal", (json_int_t)f->rx_bytes,
				      "txBytesTotal", (json_int_t)f->tx_bytes,
				      "rxRateBps", (json_int_t)f->rx_rate_bps,
				      "txRateBps", (json_int_t)f->tx_rate_bps,
				      "utilizationPercent",
				      ifstat_utilization((double)f->rx_rate_bps, (double)f->tx_rate_bps,
							  f->speed_mbps));
		if (!o)
			continue;
		if (f->flags & WIRE_IF_HAVE_STATS) {
			json_object_set_new(o, "rxPackets", json_integer((json_int_t)f->rx_packets));
			json_object_set_new(o, "txPackets", json_integer((json_int_t)f->tx_packets));
			json_object_set_new(o, "rxErrors", json_integer((json_int_t)f->rx_errors));
			json_object_set_new(o, "txErrors", json_integer((json_int_t)f->tx_errors));
			json_object_set_new(o, "rxDropped", json_integer((json_int_t)f->rx_dropped));
			json_object_set_new(o, "txDropped", json_integer((json_int_t)f->tx_dropped));
		}
		if (f->flags & WIRE_IF_HAVE_OPER)
			json_object_set_new(o, "operState", json_string(ifstat_operstate_name(f->operstate)));
		if (f->flags & WIRE_IF_HAVE_MTU)
			json_object_set_new(o, "mtu", json_integer(f->mtu));
		json_object_set_new(o, "mac", json_string(mac));
		json_object_set_new(o, "counterResets", json_integer((json_int_t)f->resets));
		json_array_append_new(arr, o);
	}
	return arr;
}

uint64_t sysview_link_speed(const struct sysview *v, const char *ifname, uint64_t now_ns,
			    uint64_t max_age_ns)
{
	if (!v->ifaces || !fresh(v->ifaces_ns, now_ns, max_age_ns))
		return 0;
	for (size_t i = 0; i < v->nifaces; i++)
		if (strcmp(v->ifaces[i].name, ifname) == 0)
			return v->ifaces[i].speed_mbps;
	return 0;
}
