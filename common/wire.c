#include "wire.h"

#include <string.h>

#include "cursor.h"
#include "name.h"
#include "netmon.h"
#include "text.h"

#define ROLE_BIT(r) (1u << (r))
#define HELPERS (ROLE_BIT(ROLE_CAPD) | ROLE_BIT(ROLE_ARPD) | ROLE_BIT(ROLE_SYSD))
#define PAYLOAD_MAX (WIRE_MAX_LEN - WIRE_HDR_LEN)

static int check_hello(const struct wire_msg *m);
static int check_cap_stats(const struct wire_msg *m);
static int check_devices(const struct wire_msg *m);
static int check_sys_metrics(const struct wire_msg *m);
static int check_sys_disks(const struct wire_msg *m);
static int check_sys_ifaces(const struct wire_msg *m);
static int check_arp_stats(const struct wire_msg *m);
static int check_arp_devices(const struct wire_msg *m);
static int check_arp_events(const struct wire_msg *m);

/* Every record type, in one place: docs/protocol.md describes each row. */
static const struct wire_type_info wire_types[] = {
	{ WIRE_HELLO, "hello", HELPERS, WIRE_HELLO_LEN, WIRE_HELLO_LEN, check_hello },
	{ WIRE_HEARTBEAT, "heartbeat", HELPERS, WIRE_HEARTBEAT_LEN, WIRE_HEARTBEAT_LEN, NULL },
	{ WIRE_CAP_STATS, "cap_stats", ROLE_BIT(ROLE_CAPD), WIRE_CAP_STATS_LEN,
	  WIRE_CAP_STATS_LEN, check_cap_stats },
	{ WIRE_CAP_DEVICES, "cap_devices", ROLE_BIT(ROLE_CAPD),
	  WIRE_DEVICES_HDR_LEN + WIRE_DEVICE_LEN, PAYLOAD_MAX, check_devices },
	{ WIRE_SYS_METRICS, "sys_metrics", ROLE_BIT(ROLE_SYSD), WIRE_SYS_METRICS_LEN,
	  WIRE_SYS_METRICS_LEN + 4 * WIRE_SYS_CPU_MAX, check_sys_metrics },
	{ WIRE_SYS_DISKS, "sys_disks", ROLE_BIT(ROLE_SYSD), WIRE_SYS_LIST_HDR_LEN, PAYLOAD_MAX,
	  check_sys_disks },
	{ WIRE_SYS_IFACES, "sys_ifaces", ROLE_BIT(ROLE_SYSD), WIRE_SYS_LIST_HDR_LEN, PAYLOAD_MAX,
	  check_sys_ifaces },
	{ WIRE_ARP_STATS, "arp_stats", ROLE_BIT(ROLE_ARPD), WIRE_ARP_STATS_LEN,
	  WIRE_ARP_STATS_LEN, check_arp_stats },
	{ WIRE_ARP_DEVICES, "arp_devices", ROLE_BIT(ROLE_ARPD), WIRE_ARP_DEVICES_HDR_LEN,
	  PAYLOAD_MAX, check_arp_devices },
	{ WIRE_ARP_EVENTS, "arp_events", ROLE_BIT(ROLE_ARPD), 4 + WIRE_ARP_EVENT_LEN,
	  4 + WIRE_ARP_EVENTS_MAX * WIRE_ARP_EVENT_LEN, check_arp_events },
};

const struct wire_type_info *wire_type_info(uint8_t type)
{
	for (size_t i = 0; i < sizeof(wire_types) / sizeof(wire_types[0]); i++)
		if (wire_types[i].type == type)
			return &wire_types[i];
	return NULL;
}

int wire_parse(const void *buf, size_t len, struct wire_msg *m)
{
	struct cursor c;

	if (len < WIRE_HDR_LEN)
		return WIRE_ESHORT;
	if (len > WIRE_MAX_LEN)
		return WIRE_ELONG;
	cur_init(&c, buf, len);
	cur_u8(&c, &m->hdr.version);
	cur_u8(&c, &m->hdr.type);
	cur_be16(&c, &m->hdr.flags);
	cur_be32(&c, &m->hdr.length);
	cur_be64(&c, &m->hdr.seq);
	if (m->hdr.version != WIRE_VERSION)
		return WIRE_EVERSION;
	if (m->hdr.length != len)
		return WIRE_ELENGTH;
	if (m->hdr.flags != 0)
		return WIRE_EFIELD;
	m->payload = c.p;
	m->payload_len = c.left;

	const struct wire_type_info *t = wire_type_info(m->hdr.type);
	if (!t)
		return WIRE_ETYPE;
	if (m->payload_len < t->min_len || m->payload_len > t->max_len)
		return WIRE_ESIZE;
	return t->check ? t->check(m) : WIRE_OK;
}

bool wire_get_str(struct cursor *c, char *out, size_t cap)
{
	uint16_t n;

	if (cap == 0 || !cur_be16(c, &n) || n > WIRE_STR_MAX || (size_t)n >= cap ||
	    n > c->left || !text_clean(c->p, n) || !cur_bytes(c, out, n))
		return false;
	out[n] = '\0';
	return true;
}

size_t wire_str_size(const char *s)
{
	return 2 + strlen(s);
}

void wire_put_str(struct wcursor *w, const char *s)
{
	size_t n = strlen(s);

	if (n > WIRE_STR_MAX || !text_clean(s, n)) {
		w->ok = false;
		return;
	}
	wcur_be16(w, (uint16_t)n);
	wcur_bytes(w, s, n);
}

const char *wire_strerror(int err)
{
	switch (err) {
	case WIRE_OK: return "ok";
	case WIRE_ESHORT: return "record shorter than its header";
	case WIRE_ELONG: return "record longer than the maximum";
	case WIRE_EVERSION: return "unsupported protocol version";
	case WIRE_ELENGTH: return "length field does not match the message size";
	case WIRE_ETYPE: return "unknown record type";
	case WIRE_ESIZE: return "payload size wrong for the record type";
	case WIRE_EFIELD: return "invalid field value";
	}
	return "unknown error";
}

const char *wire_type_name(uint8_t type)
{
	const struct wire_type_info *t = wire_type_info(type);
	return t ? t->name : "unknown";
}

bool wire_type_allowed(int role, uint8_t type)
{
	const struct wire_type_info *t = wire_type_info(type);
	return t && role >= 0 && role < ROLE_COUNT && (t->roles & ROLE_BIT(role));
}

static bool counters_ok(const uint64_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] > WIRE_COUNTER_MAX)
			return false;
	return true;
}

static int payload_cursor(const struct wire_msg *m, uint8_t type, struct cursor *c)
{
	if (m->hdr.type != type)
		return WIRE_ETYPE;
	cur_init(c, m->payload, m->payload_len);
	return WIRE_OK;
}

int wire_get_hello(const struct wire_msg *m, struct wire_hello *out)
{
	struct cursor c;
	uint16_t reserved;
	uint32_t pid;

	if (payload_cursor(m, WIRE_HELLO, &c) != WIRE_OK)
		return WIRE_ETYPE;
	if (!cur_u8(&c, &out->role) || !cur_u8(&c, &out->proto_version) ||
	    !cur_be16(&c, &reserved) || !cur_be32(&c, &pid) ||
	    !cur_be64(&c, &out->instance_id) || !cur_be64(&c, &out->start_time_ns))
		return WIRE_ESIZE;
	out->pid = pid;
	if (reserved != 0 || out->role >= ROLE_REPORTER || out->proto_version != WIRE_VERSION ||
	    out->instance_id == 0)
		return WIRE_EFIELD;
	return WIRE_OK;
}

int wire_get_heartbeat(const struct wire_msg *m, struct wire_heartbeat *out)
{
	struct cursor c;

	if (payload_cursor(m, WIRE_HEARTBEAT, &c) != WIRE_OK)
		return WIRE_ETYPE;
	if (!cur_be64(&c, &out->uptime_ms) || !cur_be64(&c, &out->send_drops))
		return WIRE_ESIZE;
	return WIRE_OK;
}

int wire_get_cap_stats(const struct wire_msg *m, struct wire_cap_stats *out)
{
	struct cursor c;

	if (payload_cursor(m, WIRE_CAP_STATS, &c) != WIRE_OK)
		return WIRE_ETYPE;
	if (!cur_be64(&c, &out->packets) || !cur_be64(&c, &out->bytes) ||
	    !cur_be64(&c, &out->ps_recv) || !cur_be64(&c, &out->ps_drop) ||
	    !cur_be64(&c, &out->ps_ifdrop) || !cur_be64(&c, &out->evictions) ||
	    !cur_be32(&c, &out->table_used) || !cur_be32(&c, &out->table_capacity))
		return WIRE_ESIZE;
	if (out->table_used > out->table_capacity ||
	    !counters_ok((const uint64_t[]){ out->packets, out->bytes, out->ps_recv,
					   out->ps_drop, out->ps_ifdrop, out->evictions }, 6))
		return WIRE_EFIELD;
	return WIRE_OK;
}

size_t wire_devices_count(const struct wire_msg *m)
{
	if (m->hdr.type != WIRE_CAP_DEVICES)
		return 0;
	/* wire_parse guaranteed payload_len == 8 + count * WIRE_DEVICE_LEN */
	return (m->payload_len - WIRE_DEVICES_HDR_LEN) / WIRE_DEVICE_LEN;
}

static bool addr_padding_zero(const uint8_t addr[16], size_t used)
{
	for (size_t i = used; i < 16; i++)
		if (addr[i] != 0)
			return false;
	return true;
}

int wire_get_device(const struct wire_msg *m, size_t i, struct wire_device *out)
{
	struct cursor c, e;
	uint8_t reserved[7];

	if (payload_cursor(m, WIRE_CAP_DEVICES, &c) != WIRE_OK)
		return WIRE_ETYPE;
	if (i >= wire_devices_count(m))
		return WIRE_ESIZE;
	if (!cur_skip(&c, WIRE_DEVICES_HDR_LEN + i * WIRE_DEVICE_LEN) ||
	    !cur_sub(&c, WIRE_DEVICE_LEN, &e))
		return WIRE_ESIZE;
	if (!cur_u8(&e, &out->kind) || !cur_bytes(&e, reserved, sizeof(reserved)) ||
	    !cur_bytes(&e, out->addr, sizeof(out->addr)) || !cur_be64(&e, &out->created) ||
	    !cur_be64(&e, &out->rx_bytes) || !cur_be64(&e, &out->tx_bytes) ||
	    !cur_be64(&e, &out->rx_packets) || !cur_be64(&e, &out->tx_packets))
		return WIRE_ESIZE;
	for (size_t k = 0; k < sizeof(reserved); k++)
		if (reserved[k] != 0)
			return WIRE_EFIELD;
	if (!counters_ok((const uint64_t[]){ out->rx_bytes, out->tx_bytes, out->rx_packets,
					   out->tx_packets }, 4))
		return WIRE_EFIELD;
	switch (out->kind) {
	case WIRE_KEY_MAC:
		return addr_padding_zero(out->addr, 6) ? WIRE_OK : WIRE_EFIELD;
	case WIRE_KEY_IPV4:
		return addr_padding_zero(out->addr, 4) ? WIRE_OK : WIRE_EFIELD;
	case WIRE_KEY_IPV6:
		return WIRE_OK;
	}
	return WIRE_EFIELD;
}

static int check_hello(const struct wire_msg *m)
{
	struct wire_hello h;
	return wire_get_hello(m, &h);
}

static int check_cap_stats(const struct wire_msg *m)
{
	struct wire_cap_stats st;
	return wire_get_cap_stats(m, &st);
}

/* A list of fixed-size entries after its count header (count and a zero
 * reserved field, each `width` bytes): 1..max entries, exactly that many
 * bytes of them, each valid by `entry_ok`. */
static int check_fixed_list(const struct wire_msg *m, unsigned width, size_t max,
			    size_t entry_len, int (*entry_ok)(const struct wire_msg *m, size_t i))
{
	struct cursor c;
	uint32_t count, reserved;
	uint16_t c16, r16;

	cur_init(&c, m->payload, m->payload_len);
	if (width == 4 ? !cur_be32(&c, &count) || !cur_be32(&c, &reserved)
		       : !cur_be16(&c, &c16) || !cur_be16(&c, &r16))
		return WIRE_ESIZE;
	if (width != 4) {
		count = c16;
		reserved = r16;
	}
	if (reserved != 0 || count == 0 || count > max)
		return WIRE_EFIELD;
	if (c.left != (size_t)count * entry_len)
		return WIRE_ESIZE;
	for (size_t i = 0; i < count; i++) {
		int rc = entry_ok(m, i);
		if (rc != WIRE_OK)
			return rc;
	}
	return WIRE_OK;
}

static int device_ok(const struct wire_msg *m, size_t i)
{
	struct wire_device d;
	return wire_get_device(m, i, &d);
}

static int check_devices(const struct wire_msg *m)
{
	return check_fixed_list(m, 4, WIRE_DEVICES_MAX, WIRE_DEVICE_LEN, device_ok);
}

static void put_hdr(struct wcursor *w, uint8_t type, size_t len, uint64_t seq)
{
	wcur_u8(w, WIRE_VERSION);
	wcur_u8(w, type);
	wcur_be16(w, 0);
	wcur_be32(w, (uint32_t)len);
	wcur_be64(w, seq);
}

size_t wire_put_hello(void *buf, size_t cap, uint64_t seq, const struct wire_hello *h)
{
	struct wcursor w;
	size_t len = WIRE_HDR_LEN + WIRE_HELLO_LEN;

	wcur_init(&w, buf, cap);
	put_hdr(&w, WIRE_HELLO, len, seq);
	wcur_u8(&w, h->role);
	wcur_u8(&w, h->proto_version);
	wcur_be16(&w, 0);
	wcur_be32(&w, h->pid);
	wcur_be64(&w, h->instance_id);
	wcur_be64(&w, h->start_time_ns);
	return w.ok ? len : 0;
}

size_t wire_put_heartbeat(void *buf, size_t cap, uint64_t seq, const struct wire_heartbeat *h)
{
	struct wcursor w;
	size_t len = WIRE_HDR_LEN + WIRE_HEARTBEAT_LEN;

	wcur_init(&w, buf, cap);
	put_hdr(&w, WIRE_HEARTBEAT, len, seq);
	wcur_be64(&w, h->uptime_ms);
	wcur_be64(&w, h->send_drops);
	return w.ok ? len : 0;
}

size_t wire_put_cap_stats(void *buf, size_t cap, uint64_t seq, const struct wire_cap_stats *s)
{
	struct wcursor w;
	size_t len = WIRE_HDR_LEN + WIRE_CAP_STATS_LEN;

	wcur_init(&w, buf, cap);
	put_hdr(&w, WIRE_CAP_STATS, len, seq);
	wcur_be64(&w, s->packets);
	wcur_be64(&w, s->bytes);
	wcur_be64(&w, s->ps_recv);
	wcur_be64(&w, s->ps_drop);
	wcur_be64(&w, s->ps_ifdrop);
	wcur_be64(&w, s->evictions);
	wcur_be32(&w, s->table_used);
	wcur_be32(&w, s->table_capacity);
	return w.ok ? len : 0;
}

size_t wire_put_devices(void *buf, size_t cap, uint64_t seq,
			const struct wire_device *devs, size_t n)
{
	static const uint8_t zero[7];
	struct wcursor w;

	if (n == 0 || n > WIRE_DEVICES_MAX)
		return 0;
	size_t len = WIRE_HDR_LEN + WIRE_DEVICES_HDR_LEN + n * WIRE_DEVICE_LEN;
	wcur_init(&w, buf, cap);
	put_hdr(&w, WIRE_CAP_DEVICES, len, seq);
	wcur_be32(&w, (uint32_t)n);
	wcur_be32(&w, 0);
	for (size_t i = 0; i < n; i++) {
		wcur_u8(&w, devs[i].kind);
		wcur_bytes(&w, zero, sizeof(zero));
		wcur_bytes(&w, devs[i].addr, sizeof(devs[i].addr));
		wcur_be64(&w, devs[i].created);
		wcur_be64(&w, devs[i].rx_bytes);
		wcur_be64(&w, devs[i].tx_bytes);
		wcur_be64(&w, devs[i].rx_packets);
		wcur_be64(&w, devs[i].tx_packets);
	}
	return w.ok ? len : 0;
}

/* ---- sysd: SYS_METRICS, SYS_DISKS, SYS_IFACES --------------------------- */

static int check_sys_metrics(const struct wire_msg *m)
{
	static struct wire_sys_metrics s;   /* 4 KiB of per-CPU entries: not on the stack */
	return wire_get_sys_metrics(m, &s);
}

int wire_get_sys_metrics(const struct wire_msg *m, struct wire_sys_metrics *out)
{
	struct cursor c;
	uint16_t reserved;

	if (payload_cursor(m, WIRE_SYS_METRICS, &c) != WIRE_OK)
		return WIRE_ETYPE;
	if (!cur_be32(&c, &out->present) || !cur_be32(&c, &out->cpus_online) ||
	    !cur_be32(&c, &out->cpu_centi) || !cur_be32(&c, &out->load_centi[0]) ||
	    !cur_be32(&c, &out->load_centi[1]) || !cur_be32(&c, &out->load_centi[2]) ||
	    !cur_be32(&c, &out->mem_percent_centi) ||
	    !cur_be64(&c, &out->mem_total) || !cur_be64(&c, &out->mem_used) ||
	    !cur_be64(&c, &out->mem_available) || !cur_be64(&c, &out->swap_total) ||
	    !cur_be64(&c, &out->swap_used) || !cur_be64(&c, &out->uptime_s) ||
	    !cur_be16(&c, &out->ncpu) || !cur_be16(&c, &reserved))
		return WIRE_ESIZE;
	if (out->ncpu > WIRE_SYS_CPU_MAX || c.left != (size_t)out->ncpu * 4)
		return WIRE_ESIZE;
	for (size_t i = 0; i < out->ncpu; i++) {
		cur_be16(&c, &out->cpu[i].cpu);
		cur_be16(&c, &out->cpu[i].centi);
		if (out->cpu[i].centi > 10000 || out->cpu[i].cpu >= WIRE_SYS_CPU_MAX ||
		    (i > 0 && out->cpu[i].cpu <= out->cpu[i - 1].cpu))
			return WIRE_EFIELD;
	}
	if (reserved != 0 || (out->present & ~(uint32_t)WIRE_SYS_HAVE_ALL) ||
	    out->cpu_centi > 10000 || out->mem_percent_centi > 10000 ||
	    (out->ncpu && !(out->present & WIRE_SYS_HAVE_CPU)) ||
	    out->mem_used > out->mem_total || out->mem_available > out->mem_total ||
	    out->swap_used > out->swap_total ||
	    !counters_ok((const uint64_t[]){ out->mem_total, out->swap_total, out->uptime_s }, 3))
		return WIRE_EFIELD;
	return WIRE_OK;
}

size_t wire_put_sys_metrics(void *buf, size_t cap, uint64_t seq, const struct wire_sys_metrics *s)
{
	struct wcursor w;

	if (s->ncpu > WIRE_SYS_CPU_MAX)
		return 0;
	size_t len = WIRE_HDR_LEN + WIRE_SYS_METRICS_LEN + 4 * (size_t)s->ncpu;
	wcur_init(&w, buf, cap);
	put_hdr(&w, WIRE_SYS_METRICS, len, seq);
	wcur_be32(&w, s->present);
	wcur_be32(&w, s->cpus_online);
	wcur_be32(&w, s->cpu_centi);
	for (int i = 0; i < 3; i++)
		wcur_be32(&w, s->load_centi[i]);
	wcur_be32(&w, s->mem_percent_centi);
	wcur_be64(&w, s->mem_total);
	wcur_be64(&w, s->mem_used);
	wcur_be64(&w, s->mem_available);
	wcur_be64(&w, s->swap_total);
	wcur_be64(&w, s->swap_used);
	wcur_be64(&w, s->uptime_s);
	wcur_be16(&w, s->ncpu);
	wcur_be16(&w, 0);
	for (size_t i = 0; i < s->ncpu; i++) {
		wcur_be16(&w, s->cpu[i].cpu);
		wcur_be16(&w, s->cpu[i].centi);
	}
	return w.ok ? len : 0;
}

/* List records: u16 count, u16 reserved, then count entries. */
static size_t list_begin(const struct wire_msg *m, uint8_t type, struct wire_iter *it)
{
	struct cursor c;
	uint16_t count, reserved;

	it->remaining = 0;
	if (payload_cursor(m, type, &c) != WIRE_OK || !cur_be16(&c, &count) ||
	    !cur_be16(&c, &reserved))
		return 0;
	it->p = c.p;
	it->left = c.left;
	it->remaining = count;
	return count;
}

/* Reads one disk entry; false (and *c unusable) when it is malformed. */
static bool get_disk(struct cursor *c, struct wire_sys_disk *d)
{
	uint32_t reserved;
	if (!wire_get_str(c, d->mount, sizeof(d->mount)) ||
	    !wire_get_str(c, d->fstype, sizeof(d->fstype)) ||
	    !wire_get_str(c, d->device, sizeof(d->device)) ||
	    !cur_be64(c, &d->total) || !cur_be64(c, &d->used) || !cur_be64(c, &d->free) ||
	    !cur_be64(c, &d->inodes_total) || !cur_be64(c, &d->inodes_used) ||
	    !cur_be64(c, &d->inodes_free) || !cur_be32(c, &d->percent_centi) ||
	    !cur_be32(c, &reserved))
		return false;
	return reserved == 0 && d->mount[0] == '/' && d->fstype[0] != '\0' &&
	       d->used <= d->total && d->free <= d->total && d->percent_centi <= 10000 &&
	       d->inodes_used <= d->inodes_total && d->inodes_free <= d->inodes_total &&
	       counters_ok((const uint64_t[]){ d->total, d->inodes_total }, 2);
}

size_t wire_sys_disks_begin(const struct wire_msg *m, struct wire_iter *it)
{
	return list_begin(m, WIRE_SYS_DISKS, it);
}

bool wire_sys_disk_next(struct wire_iter *it, struct wire_sys_disk *out)
{
	struct cursor c;
	if (it->remaining == 0)
		return false;
	cur_init(&c, it->p, it->left);
	if (!get_disk(&c, out)) {
		it->remaining = 0;
		return false;
	}
	it->p = c.p;
	it->left = c.left;
	it->remaining--;
	return true;
}

static int check_list(const struct wire_msg *m, uint8_t type, bool (*next)(struct wire_iter *))
{
	struct wire_iter it;
	struct cursor c;
	uint16_t count, reserved;

	cur_init(&c, m->payload, m->payload_len);
	if (!cur_be16(&c, &count) || !cur_be16(&c, &reserved))
		return WIRE_ESIZE;
	if (reserved != 0)
		return WIRE_EFIELD;
	list_begin(m, type, &it);
	for (size_t i = 0; i < count; i++)
		if (!next(&it))
			return WIRE_EFIELD;
	return it.left == 0 ? WIRE_OK : WIRE_ESIZE;   /* nothing after the last entry */
}

static bool next_disk(struct wire_iter *it)
{
	static struct wire_sys_disk d;
	return wire_sys_disk_next(it, &d);
}

static int check_sys_disks(const struct wire_msg *m)
{
	return check_list(m, WIRE_SYS_DISKS, next_disk);
}

size_t wire_sys_disk_size(const struct wire_sys_disk *d)
{
	return wire_str_size(d->mount) + wire_str_size(d->fstype) + wire_str_size(d->device) +
	       6 * 8 + 4 + 4;
}

static void put_list_hdr(struct wcursor *w, uint8_t type, size_t len, uint64_t seq, size_t n)
{
	put_hdr(w, type, len, seq);
	wcur_be16(w, (uint16_t)n);
	wcur_be16(w, 0);
}

size_t wire_put_sys_disks(void *buf, size_t cap, uint64_t seq,
			  const struct wire_sys_disk *d, size_t n)
{
	struct wcursor w;
	size_t len = WIRE_HDR_LEN + WIRE_SYS_LIST_HDR_LEN;

	if (n > UINT16_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		len += wire_sys_disk_size(&d[i]);
	if (len > WIRE_MAX_LEN)
		return 0;
	wcur_init(&w, buf, cap);
	put_list_hdr(&w, WIRE_SYS_DISKS, len, seq, n);
	for (size_t i = 0; i < n; i++) {
		wire_put_str(&w, d[i].mount);
		wire_put_str(&w, d[i].fstype);
		wire_put_str(&w, d[i].device);
		wcur_be64(&w, d[i].total);
		wcur_be64(&w, d[i].used);
		wcur_be64(&w, d[i].free);
		wcur_be64(&w, d[i].inodes_total);
		wcur_be64(&w, d[i].inodes_used);
		wcur_be64(&w, d[i].inodes_free);
		wcur_be32(&w, d[i].percent_centi);
		wcur_be32(&w, 0);
	}
	return w.ok ? len : 0;
}

static bool get_iface(struct cursor *c, struct wire_sys_iface *f)
{
	uint8_t reserved;
	if (!wire_get_str(c, f->name, sizeof(f->name)) || !cur_be32(c, &f->ifindex) ||
	    !cur_be32(c, &f->mtu) || !cur_be32(c, &f->speed_mbps) || !cur_u8(c, &f->operstate) ||
	    !cur_u8(c, &f->flags) || !cur_u8(c, &f->mac_len) || !cur_u8(c, &reserved) ||
	    f->mac_len > sizeof(f->mac) || !cur_bytes(c, f->mac, f->mac_len) ||
	    !cur_be64(c, &f->rx_bytes) || !cur_be64(c, &f->tx_bytes) ||
	    !cur_be64(c, &f->rx_packets) || !cur_be64(c, &f->tx_packets) ||
	    !cur_be64(c, &f->rx_errors) || !cur_be64(c, &f->tx_errors) ||
	    !cur_be64(c, &f->rx_dropped) || !cur_be64(c, &f->tx_dropped) ||
	    !cur_be64(c, &f->rx_rate_bps) || !cur_be64(c, &f->tx_rate_bps) ||
	    !cur_be64(c, &f->resets))
		return false;
	return reserved == 0 && f->name[0] != '\0' && f->operstate <= 6 &&
	       (f->flags & ~(WIRE_IF_HAVE_STATS | WIRE_IF_HAVE_MTU | WIRE_IF_HAVE_OPER)) == 0 &&
	       counters_ok((const uint64_t[]){ f->rx_bytes, f->tx_bytes, f->rx_packets,
					     f->tx_packets, f->rx_errors, f->tx_errors,
					     f->rx_dropped, f->tx_dropped, f->rx_rate_bps,
					     f->tx_rate_bps, f->resets }, 11);
}

size_t wire_sys_ifaces_begin(const struct wire_msg *m, struct wire_iter *it)
{
	return list_begin(m, WIRE_SYS_IFACES, it);
}

bool wire_sys_iface_next(struct wire_iter *it, struct wire_sys_iface *out)
{
	struct cursor c;
	if (it->remaining == 0)
		return false;
	cur_init(&c, it->p, it->left);
	if (!get_iface(&c, out)) {
		it->remaining = 0;
		return false;
	}
	it->p = c.p;
	it->left = c.left;
	it->remaining--;
	return true;
}

static bool next_iface(struct wire_iter *it)
{
	struct wire_sys_iface f;
	return wire_sys_iface_next(it, &f);
}

static int check_sys_ifaces(const struct wire_msg *m)
{
	return check_list(m, WIRE_SYS_IFACES, next_iface);
}

size_t wire_sys_iface_size(const struct wire_sys_iface *f)
{
	return wire_str_size(f->name) + 3 * 4 + 4 + f->mac_len + 11 * 8;
}

size_t wire_put_sys_ifaces(void *buf, size_t cap, uint64_t seq,
			   const struct wire_sys_iface *f, size_t n)
{
	struct wcursor w;
	size_t len = WIRE_HDR_LEN + WIRE_SYS_LIST_HDR_LEN;

	if (n > UINT16_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (f[i].mac_len > sizeof(f[i].mac))
			return 0;
		len += wire_sys_iface_size(&f[i]);
	}
	if (len > WIRE_MAX_LEN)
		return 0;
	wcur_init(&w, buf, cap);
	put_list_hdr(&w, WIRE_SYS_IFACES, len, seq, n);
	for (size_t i = 0; i < n; i++) {
		wire_put_str(&w, f[i].name);
		wcur_be32(&w, f[i].ifindex);
		wcur_be32(&w, f[i].mtu);
		wcur_be32(&w, f[i].speed_mbps);
		wcur_u8(&w, f[i].operstate);
		wcur_u8(&w, f[i].flags);
		wcur_u8(&w, f[i].mac_len);
		wcur_u8(&w, 0);
		wcur_bytes(&w, f[i].mac, f[i].mac_len);
		wcur_be64(&w, f[i].rx_bytes);
		wcur_be64(&w, f[i].tx_bytes);
		wcur_be64(&w, f[i].rx_packets);
		wcur_be64(&w, f[i].tx_packets);
		wcur_be64(&w, f[i].rx_errors);
		wcur_be64(&w, f[i].tx_errors);
		wcur_be64(&w, f[i].rx_dropped);
		wcur_be64(&w, f[i].tx_dropped);
		wcur_be64(&w, f[i].rx_rate_bps);
		wcur_be64(&w, f[i].tx_rate_bps);
		wcur_be64(&w, f[i].resets);
	}
	return w.ok ? len : 0;
}

/* ---- arpd ---- */

int wire_get_arp_stats(const struct wire_msg *m, struct wire_arp_stats *out)
{
	struct cursor c;

	if (payload_cursor(m, WIRE_ARP_STATS, &c) != WIRE_OK)
		return WIRE_ETYPE;
	if (!cur_be64(&c, &out->frames) || !cur_be64(&c, &out->arp) || !cur_be64(&c, &out->nd) ||
	    !cur_be64(&c, &out->ignored) || !cur_be64(&c, &out->unmatched) ||
	    !cur_be64(&c, &out->evictions) || !cur_be64(&c, &out->sweeps) ||
	    !cur_be64(&c, &out->events) || !cur_be32(&c, &out->devices) ||
	    !cur_be32(&c, &out->capacity) || !cur_be32(&c, &out->last_found) ||
	    !cur_be32(&c, &out->last_swept))
		return WIRE_ESIZE;
	if (out->devices > out->capacity || out->last_found > out->last_swept ||
	    out->arp + out->nd > out->frames || out->ignored > out->frames ||
	    !counters_ok((const uint64_t[]){ out->frames, out->arp, out->nd, out->ignored,
					   out->unmatched, out->evictions, out->sweeps,
					   out->events }, 8))
		return WIRE_EFIELD;
	return WIRE_OK;
}

int wire_get_arp_devices(const struct wire_msg *m, struct wire_arp_devices_hdr *h,
			 struct cursor *entries)
{
	uint16_t reserved;

	if (payload_cursor(m, WIRE_ARP_DEVICES, entries) != WIRE_OK)
		return WIRE_ETYPE;
	if (!cur_be64(entries, &h->generation) || !cur_be16(entries, &h->part) ||
	    !cur_be16(entries, &h->parts) || !cur_be16(entries, &h->count) ||
	    !cur_be16(entries, &reserved))
		return WIRE_ESIZE;
	if (reserved != 0 || h->parts == 0 || h->part >= h->parts)
		return WIRE_EFIELD;
	return WIRE_OK;
}

/* A passive name's source: the arpd sources of enum name_source (reverse
 * DNS is the reporter's own, never on the wire). */
static bool arp_name_source_ok(uint8_t s)
{
	return s == NAME_SRC_DHCP || s == NAME_SRC_MDNS || s == NAME_SRC_NETBIOS;
}

/* The five strings after the names (flag WIRE_ARP_ABOUT): each within its
 * bound and clean (wire_get_str), the fingerprint well formed, not all empty. */
static int get_about(struct cursor *c, struct device_about *a)
{
	/* each buffer is its bound + 1: wire_get_str refuses a longer string */
	if (!wire_get_str(c, a->vendor_class, sizeof(a->vendor_class)) ||
	    !wire_get_str(c, a->fingerprint, sizeof(a->fingerprint)) ||
	    !wire_get_str(c, a->model, sizeof(a->model)) ||
	    !wire_get_str(c, a->hinfo_cpu, sizeof(a->hinfo_cpu)) ||
	    !wire_get_str(c, a->hinfo_os, sizeof(a->hinfo_os)))
		return WIRE_EFIELD;
	if (about_empty(a) || !about_ok(a))
		return WIRE_EFIELD;
	return WIRE_OK;
}

int wire_get_arp_device(struct cursor *c, struct wire_arp_device *d)
{
	if (!cur_bytes(c, d->mac, 6) || !cur_u8(c, &d->flags) || !cur_u8(c, &d->n4) ||
	    !cur_u8(c, &d->n6) || !cur_u8(c, &d->nnames) || !cur_be64(c, &d->first_seen_ms) ||
	    !cur_be64(c, &d->last_seen_ms))
		return WIRE_ESIZE;
	if (d->nnames > WIRE_ARP_NAMES_MAX || (d->flags & ~WIRE_ARP_FLAGS_ALL) != 0 || d->n4 > WIRE_ARP_V4_MAX ||
	    d->n6 > WIRE_ARP_V6_MAX || d->first_seen_ms > d->last_seen_ms ||
	    d->last_seen_ms > WIRE_COUNTER_MAX || (d->mac[0] & 1u) != 0)
		return WIRE_EFIELD;
	for (unsigned i = 0; i < d->n4; i++)
		if (!cur_bytes(c, d->ipv4[i], 4))
			return WIRE_ESIZE;
	for (unsigned i = 0; i < d->n6; i++)
		if (!cur_bytes(c, d->ipv6[i], 16))
			return WIRE_ESIZE;
	/* a vendor longer than WIRE_ARP_VENDOR_MAX or not clean UTF-8 fails
	 * here; so does one running past the payload */
	if (!wire_get_str(c, d->vendor, sizeof(d->vendor)))
		return WIRE_EFIELD;
	for (unsigned i = 0; i < d->nnames; i++) {
		struct wire_arp_name *n = &d->names[i];
		if (!cur_u8(c, &n->source))
			return WIRE_ESIZE;
		/* a name is never empty; longer than WIRE_ARP_NAME_MAX or not
		 * clean fails in wire_get_str */
		if (!arp_name_source_ok(n->source) || !wire_get_str(c, n->name, sizeof(n->name)) ||
		    n->name[0] == '\0')
			return WIRE_EFIELD;
	}
	memset(&d->about, 0, sizeof(d->about));
	if (d->flags & WIRE_ARP_ABOUT)
		return get_about(c, &d->about);
	return WIRE_OK;
}

size_t wire_arp_events_count(const struct wire_msg *m)
{
	if (m->hdr.type != WIRE_ARP_EVENTS)
		return 0;
	/* wire_parse guaranteed payload_len == 4 + count * WIRE_ARP_EVENT_LEN */
	return (m->payload_len - 4) / WIRE_ARP_EVENT_LEN;
}

int wire_get_arp_event(const struct wire_msg *m, size_t i, struct wire_arp_event *out)
{
	struct cursor c, e;
	uint8_t reserved[3];

	if (payload_cursor(m, WIRE_ARP_EVENTS, &c) != WIRE_OK)
		return WIRE_ETYPE;
	if (i >= wire_arp_events_count(m) || !cur_skip(&c, 4 + i * WIRE_ARP_EVENT_LEN) ||
	    !cur_sub(&c, WIRE_ARP_EVENT_LEN, &e))
		return WIRE_ESIZE;
	if (!cur_u8(&e, &out->kind) || !cur_bytes(&e, reserved, 3) || !cur_bytes(&e, out->ip, 4) ||
	    !cur_bytes(&e, out->old_mac, 6) || !cur_bytes(&e, out->new_mac, 6) ||
	    !cur_be32(&e, &out->count) || !cur_be64(&e, &out->time_ms))
		return WIRE_ESIZE;
	if ((out->kind != WIRE_ARP_EV_MOVED && out->kind != WIRE_ARP_EV_FLIP_FLOP) ||
	    reserved[0] || reserved[1] || reserved[2] || out->count == 0 ||
	    out->time_ms > WIRE_COUNTER_MAX || memcmp(out->old_mac, out->new_mac, 6) == 0)
		return WIRE_EFIELD;
	return WIRE_OK;
}

static int check_arp_stats(const struct wire_msg *m)
{
	struct wire_arp_stats st;
	return wire_get_arp_stats(m, &st);
}

/* header, then exactly `count` valid devices and nothing after them */
static int check_arp_devices(const struct wire_msg *m)
{
	struct wire_arp_devices_hdr h;
	struct wire_arp_device d;
	struct cursor c;
	int rc = wire_get_arp_devices(m, &h, &c);

	for (unsigned i = 0; rc == WIRE_OK && i < h.count; i++)
		rc = wire_get_arp_device(&c, &d);
	if (rc == WIRE_OK && c.left != 0)
		rc = WIRE_ESIZE;
	return rc;
}

static int arp_event_ok(const struct wire_msg *m, size_t i)
{
	struct wire_arp_event ev;
	return wire_get_arp_event(m, i, &ev);
}

static int check_arp_events(const struct wire_msg *m)
{
	return check_fixed_list(m, 2, WIRE_ARP_EVENTS_MAX, WIRE_ARP_EVENT_LEN, arp_event_ok);
}

size_t wire_put_arp_stats(void *buf, size_t cap, uint64_t seq, const struct wire_arp_stats *s)
{
	struct wcursor w;
	size_t len = WIRE_HDR_LEN + WIRE_ARP_STATS_LEN;

	wcur_init(&w, buf, cap);
	put_hdr(&w, WIRE_ARP_STATS, len, seq);
	wcur_be64(&w, s->frames);
	wcur_be64(&w, s->arp);
	wcur_be64(&w, s->nd);
	wcur_be64(&w, s->ignored);
	wcur_be64(&w, s->unmatched);
	wcur_be64(&w, s->evictions);
	wcur_be64(&w, s->sweeps);
	wcur_be64(&w, s->events);
	wcur_be32(&w, s->devices);
	wcur_be32(&w, s->capacity);
	wcur_be32(&w, s->last_found);
	wcur_be32(&w, s->last_swept);
	return w.ok ? len : 0;
}

size_t wire_arp_device_size(const struct wire_arp_device *d)
{
	size_t n = WIRE_ARP_DEVICE_MIN - 2 + (size_t)d->n4 * 4 + (size_t)d->n6 * 16 +
		   wire_str_size(d->vendor);   /* 26 fixed bytes + addresses + string */
	for (unsigned i = 0; i < d->nnames && i < WIRE_ARP_NAMES_MAX; i++)
		n += 1 + wire_str_size(d->names[i].name);
	if (!about_empty(&d->about))
		n += wire_str_size(d->about.vendor_class) + wire_str_size(d->about.fingerprint) +
		     wire_str_size(d->about.model) + wire_str_size(d->about.hinfo_cpu) +
		     wire_str_size(d->about.hinfo_os);
	return n;
}

/* What the decoder would refuse in the names and the about strings (the
 * strings' UTF-8 is checked as wire_put_str writes them). */
static bool arp_names_ok(const struct wire_arp_device *d)
{
	if (d->nnames > WIRE_ARP_NAMES_MAX)
		return false;
	for (unsigned i = 0; i < d->nnames; i++) {
		size_t len = strnlen(d->names[i].name, sizeof(d->names[i].name));
		if (!arp_name_source_ok(d->names[i].source) || len == 0 || len > WIRE_ARP_NAME_MAX)
			return false;
	}
	return about_ok(&d->about);
}

size_t wire_put_arp_devices(void *buf, size_t cap, uint64_t seq,
			    const struct wire_arp_devices_hdr *h, const struct wire_arp_device *devs)
{
	struct wcursor w;
	size_t len = WIRE_HDR_LEN + WIRE_ARP_DEVICES_HDR_LEN;

	for (size_t i = 0; i < h->count; i++) {
		if (devs[i].n4 > WIRE_ARP_V4_MAX || devs[i].n6 > WIRE_ARP_V6_MAX ||
		    strlen(devs[i].vendor) > WIRE_ARP_VENDOR_MAX || !arp_names_ok(&devs[i]))
			return 0;
		len += wire_arp_device_size(&devs[i]);
	}
	if (len > WIRE_MAX_LEN || h->parts == 0 || h->part >= h->parts)
		return 0;
	wcur_init(&w, buf, cap);
	put_hdr(&w, WIRE_ARP_DEVICES, len, seq);
	wcur_be64(&w, h->generation);
	wcur_be16(&w, h->part);
	wcur_be16(&w, h->parts);
	wcur_be16(&w, h->count);
	wcur_be16(&w, 0);
	for (size_t i = 0; i < h->count; i++) {
		const struct wire_arp_device *d = &devs[i];
		bool about = !about_empty(&d->about);
		wcur_bytes(&w, d->mac, 6);
		wcur_u8(&w, (uint8_t)((d->flags & ~WIRE_ARP_ABOUT) | (about ? WIRE_ARP_ABOUT : 0)));
		wcur_u8(&w, d->n4);
		wcur_u8(&w, d->n6);
		wcur_u8(&w, d->nnames);
		wcur_be64(&w, d->first_seen_ms);
		wcur_be64(&w, d->last_seen_ms);
		for (unsigned k = 0; k < d->n4; k++)
			wcur_bytes(&w, d->ipv4[k], 4);
		for (unsigned k = 0; k < d->n6; k++)
			wcur_bytes(&w, d->ipv6[k], 16);
		wire_put_str(&w, d->vendor);
		for (unsigned k = 0; k < d->nnames; k++) {
			wcur_u8(&w, d->names[k].source);
			wire_put_str(&w, d->names[k].name);
		}
		if (about) {
			wire_put_str(&w, d->about.vendor_class);
			wire_put_str(&w, d->about.fingerprint);
			wire_put_str(&w, d->about.model);
			wire_put_str(&w, d->about.hinfo_cpu);
			wire_put_str(&w, d->about.hinfo_os);
		}
	}
	return w.ok ? len : 0;
}

size_t wire_put_arp_events(void *buf, size_t cap, uint64_t seq,
			   const struct wire_arp_event *ev, size_t n)
{
	static const uint8_t zero[3];
	struct wcursor w;

	if (n == 0 || n > WIRE_ARP_EVENTS_MAX)
		return 0;
	size_t len = WIRE_HDR_LEN + 4 + n * WIRE_ARP_EVENT_LEN;
	wcur_init(&w, buf, cap);
	put_hdr(&w, WIRE_ARP_EVENTS, len, seq);
	wcur_be16(&w, (uint16_t)n);
	wcur_be16(&w, 0);
	for (size_t i = 0; i < n; i++) {
		wcur_u8(&w, ev[i].kind);
		wcur_bytes(&w, zero, 3);
		wcur_bytes(&w, ev[i].ip, 4);
		wcur_bytes(&w, ev[i].old_mac, 6);
		wcur_bytes(&w, ev[i].new_mac, 6);
		wcur_be32(&w, ev[i].count);
		wcur_be64(&w, ev[i].time_ms);
	}
	return w.ok ? len : 0;
}
