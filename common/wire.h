/*
 * The helper → reporter wire protocol (docs/protocol.md describes it byte by
 * byte). One record per SOCK_SEQPACKET message:
 *
 *   header (16 bytes, big-endian)
 *     u8  version   WIRE_VERSION
 *     u8  type      enum wire_type
 *     u16 flags     0 (reserved)
 *     u32 length    whole record, header included; must equal the message size
 *     u64 seq       1 for HELLO, then +1 per record on this connection
 *   payload         size and content rules per type: one row of wire_types[]
 *
 * Records are encoded and decoded field by field; no struct is ever copied to
 * or from the wire. wire_parse() validates a whole record (header, size
 * bounds, and every field through the type's check function) before anyone
 * looks at it, so the wire_get_* decoders of a parsed record cannot fail on
 * content. Strings have one form, wire_get_str/wire_put_str.
 */
#ifndef NETMON_WIRE_H
#define NETMON_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "name.h"

#define WIRE_VERSION 1
#define WIRE_HDR_LEN 16
#define WIRE_MAX_LEN 65536          /* largest record, header included */

/* Type numbers: 1-15 common and capd, 16-31 sysd, 32-47 arpd. */
enum wire_type {
	WIRE_HELLO = 1,             /* first record of every connection */
	WIRE_HEARTBEAT = 2,         /* liveness, once a second */
	WIRE_CAP_STATS = 3,         /* capd: capture totals and kernel drops */
	WIRE_CAP_DEVICES = 4,       /* capd: cumulative counters for N keys */
	WIRE_SYS_METRICS = 16,      /* sysd: CPU, load, memory, swap, uptime, per-CPU busy */
	WIRE_SYS_DISKS = 17,        /* sysd: every real local file system */
	WIRE_SYS_IFACES = 18,       /* sysd: every interface's counters and rates */
	WIRE_ARP_STATS = 32,        /* arpd: totals (frames, sweeps, table) */
	WIRE_ARP_DEVICES = 33,      /* arpd: its device table, in parts */
	WIRE_ARP_EVENTS = 34,       /* arpd: address moves and flip flops */
};

/* Counters are u64 on the wire but never reach 2^63 in a real helper (the
 * JSON consumer sees signed 64-bit integers): larger values are refused. */
#define WIRE_COUNTER_MAX ((uint64_t)INT64_MAX)

/* The one string form: u16 big-endian byte length, then that many bytes of
 * UTF-8 with no NUL and no control character; at most WIRE_STR_MAX bytes. */
#define WIRE_STR_MAX 1024

struct wire_msg;

/* One row per record type: who may send it and how big it may be. The
 * parser, the role check and the type names all come from this table. */
struct wire_type_info {
	uint8_t type;
	const char *name;
	unsigned roles;             /* bit (1u << role) per role that may send it */
	size_t min_len, max_len;    /* payload bytes, header excluded */
	/* every field valid (WIRE_OK) or WIRE_ESIZE / WIRE_EFIELD; NULL when
	 * the size bounds alone make a record valid */
	int (*check)(const struct wire_msg *m);
};

enum wire_err {
	WIRE_OK = 0,
	WIRE_ESHORT = -1,           /* shorter than a header */
	WIRE_ELONG = -2,            /* longer than WIRE_MAX_LEN */
	WIRE_EVERSION = -3,         /* unknown protocol version */
	WIRE_ELENGTH = -4,          /* length field != message size */
	WIRE_ETYPE = -5,            /* unknown record type */
	WIRE_ESIZE = -6,            /* payload size wrong for its type */
	WIRE_EFIELD = -7,           /* a field has an invalid value */
};

struct wire_hdr {
	uint8_t version;
	uint8_t type;
	uint16_t flags;
	uint32_t length;
	uint64_t seq;
};

/* A validated record: header plus a view of its payload (no copy). */
struct wire_msg {
	struct wire_hdr hdr;
	const uint8_t *payload;
	size_t payload_len;
};

struct wire_hello {
	uint8_t role;               /* enum netmon_role */
	uint8_t proto_version;      /* WIRE_VERSION the sender speaks */
	uint32_t pid;
	uint64_t instance_id;       /* random per process start */
	uint64_t start_time_ns;     /* CLOCK_REALTIME at start */
};
#define WIRE_HELLO_LEN 24

struct wire_heartbeat {
	uint64_t uptime_ms;         /* since the helper started */
	uint64_t send_drops;        /* records it could not send (socket full) */
};
#define WIRE_HEARTBEAT_LEN 16

struct wire_cap_stats {
	uint64_t packets;           /* frames accounted since start */
	uint64_t bytes;             /* their wire length */
	uint64_t ps_recv;           /* kernel counters, widened to 64 bits */
	uint64_t ps_drop;
	uint64_t ps_ifdrop;
	uint64_t evictions;         /* table entries evicted when full */
	uint32_t table_used;
	uint32_t table_capacity;
};
#define WIRE_CAP_STATS_LEN 56

enum wire_key_kind { WIRE_KEY_MAC = 1, WIRE_KEY_IPV4 = 2, WIRE_KEY_IPV6 = 3 };

struct wire_device {
	uint8_t kind;               /* enum wire_key_kind */
	uint8_t addr[16];           /* MAC in [0..5], IPv4 in [0..3]; rest 0 */
	uint64_t created;           /* creation serial of the table entry */
	uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
};
#define WIRE_DEVICE_LEN 64
#define WIRE_DEVICES_HDR_LEN 8
#define WIRE_DEVICES_MAX ((WIRE_MAX_LEN - WIRE_HDR_LEN - WIRE_DEVICES_HDR_LEN) / WIRE_DEVICE_LEN)

/* ---- sysd (docs/protocol.md, types 16-18) ---- */

/* Which SYS_METRICS values the sample has (a value it could not read is
 * left out, never sent as 0). */
enum {
	WIRE_SYS_HAVE_CPU = 1u << 0,        /* cpu_centi and the per-CPU list */
	WIRE_SYS_HAVE_LOAD = 1u << 1,
	WIRE_SYS_HAVE_ONLINE = 1u << 2,
	WIRE_SYS_HAVE_MEM_TOTAL = 1u << 3,
	WIRE_SYS_HAVE_MEM_USED = 1u << 4,
	WIRE_SYS_HAVE_MEM_AVAIL = 1u << 5,
	WIRE_SYS_HAVE_MEM_PERCENT = 1u << 6,
	WIRE_SYS_HAVE_SWAP = 1u << 7,
	WIRE_SYS_HAVE_UPTIME = 1u << 8,
	WIRE_SYS_HAVE_ALL = (1u << 9) - 1,
};
#define WIRE_SYS_CPU_MAX 1024
#define WIRE_SYS_METRICS_LEN 80     /* fixed part; then 4 bytes per CPU */

struct wire_sys_cpu {
	uint16_t cpu;                   /* CPU number */
	uint16_t centi;                 /* busy percent x 100, 0..10000 */
};

struct wire_sys_metrics {
	uint32_t present;               /* WIRE_SYS_HAVE_* */
	uint32_t cpus_online;
	uint32_t cpu_centi;             /* busy percent x 100 over sysd's last window */
	uint32_t load_centi[3];         /* 1, 5, 15 min load average x 100 */
	uint32_t mem_percent_centi;     /* (total - available) / total x 10000 */
	uint64_t mem_total, mem_used, mem_available, swap_total, swap_used;  /* bytes */
	uint64_t uptime_s;
	uint16_t ncpu;
	struct wire_sys_cpu cpu[WIRE_SYS_CPU_MAX];
};

struct wire_sys_disk {
	char mount[WIRE_STR_MAX + 1];
	char fstype[64];
	char device[256];
	uint64_t total, used, free;     /* bytes, as df: f_blocks, f_blocks - f_bfree, f_bavail */
	uint64_t inodes_total, inodes_used, inodes_free;
	uint32_t percent_centi;         /* used / (used + free) x 10000 */
};

struct wire_sys_iface {
	char name[64];
	uint32_t ifindex, mtu, speed_mbps;
	uint8_t operstate;              /* IF_OPER_*, 0..6 */
	uint8_t flags;                  /* WIRE_IF_HAVE_* */
	uint8_t mac_len;                /* 0..32 */
	uint8_t mac[32];
	uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
	uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
	uint64_t rx_rate_bps, tx_rate_bps;   /* bits/s over sysd's window */
	uint64_t resets;                /* times the counters went down */
};
enum { WIRE_IF_HAVE_STATS = 1, WIRE_IF_HAVE_MTU = 2, WIRE_IF_HAVE_OPER = 4 };

/* A reader over the entries of a SYS_DISKS or SYS_IFACES record (already
 * validated by wire_parse, so next() fails only at the end). */
struct wire_iter {
	const uint8_t *p;
	size_t left;
	uint16_t remaining;
};

int wire_get_sys_metrics(const struct wire_msg *m, struct wire_sys_metrics *out);
size_t wire_put_sys_metrics(void *buf, size_t cap, uint64_t seq, const struct wire_sys_metrics *s);
/* Returns the entry count (0 for another type). */
size_t wire_sys_disks_begin(const struct wire_msg *m, struct wire_iter *it);
bool wire_sys_disk_next(struct wire_iter *it, struct wire_sys_disk *out);
size_t wire_sys_disk_size(const struct wire_sys_disk *d);
/* n entries (0..65535 as fit); 0 when buf or WIRE_MAX_LEN is too small or a
 * string is not clean. */
size_t wire_put_sys_disks(void *buf, size_t cap, uint64_t seq,
			  const struct wire_sys_disk *d, size_t n);
size_t wire_sys_ifaces_begin(const struct wire_msg *m, struct wire_iter *it);
bool wire_sys_iface_next(struct wire_iter *it, struct wire_sys_iface *out);
size_t wire_sys_iface_size(const struct wire_sys_iface *f);
size_t wire_put_sys_ifaces(void *buf, size_t cap, uint64_t seq,
			   const struct wire_sys_iface *f, size_t n);
/* Bytes of a SYS_DISKS / SYS_IFACES record before its first entry. */
#define WIRE_SYS_LIST_HDR_LEN 4

/* arpd. Totals, all cumulative since the process started. */
struct wire_arp_stats {
	uint64_t frames;            /* frames the socket delivered */
	uint64_t arp, nd;           /* of those, ARP frames and ND messages used */
	uint64_t ignored;           /* malformed or foreign frames (every reason) */
	uint64_t unmatched;         /* ARP replies to us for nothing we asked */
	uint64_t evictions;         /* devices evicted from a full table */
	uint64_t sweeps;            /* sweeps completed */
	uint64_t events;            /* moves and flip flops, repeats included */
	uint32_t devices, capacity; /* table entries used, max_devices */
	uint32_t last_found;        /* addresses that answered the last sweep */
	uint32_t last_swept;        /* addresses the last sweep asked */
};
#define WIRE_ARP_STATS_LEN 80

/* One device of arpd's table. On the wire: mac[6], flags u8, n4 u8, n6 u8,
 * nnames u8, first_seen_ms u64, last_seen_ms u64 (Unix time, ms),
 * n4 IPv4 addresses (4 bytes each), n6 IPv6 addresses (16 bytes each),
 * vendor as a wire string (at most WIRE_ARP_VENDOR_MAX bytes, may be empty),
 * then nnames passive names, each source u8 (enum name_source: 1 DHCP,
 * 2 mDNS, 3 NetBIOS) and a wire string of 1..WIRE_ARP_NAME_MAX bytes,
 * then, only with flag WIRE_ARP_ABOUT, what the device says about itself:
 * five wire strings, DHCP vendor class, DHCP fingerprint, model, HINFO CPU,
 * HINFO OS, each may be empty but not all. (The names byte was reserved, 0,
 * before names existed, and the about block came after them behind a flag:
 * older records stay valid records of a device without them.) */
#define WIRE_ARP_V4_MAX 4
#define WIRE_ARP_V6_MAX 4
#define WIRE_ARP_VENDOR_MAX 63
#define WIRE_ARP_NAMES_MAX 4        /* DEV_NAMES_MAX */
#define WIRE_ARP_NAME_MAX 63        /* NAME_LABEL_MAX */
enum wire_arp_flags {
	WIRE_ARP_ACTIVE = 0x01,     /* seen within device_timeout_seconds */
	WIRE_ARP_LOCAL = 0x02,      /* locally-administered MAC */
	WIRE_ARP_SEEN_SWEEP = 0x04, /* answered a sweep */
	WIRE_ARP_SEEN_ARP = 0x08,   /* sent other ARP */
	WIRE_ARP_SEEN_ND = 0x10,    /* seen in IPv6 neighbour discovery */
	WIRE_ARP_ABOUT = 0x20,      /* the about strings follow the names (set by the encoder) */
};
#define WIRE_ARP_FLAGS_ALL 0x3f
/* A device's fields before its names, spelled out once: the reporter keeps
 * just these (struct arpview_device), the names go to its names book. */
#define WIRE_ARP_DEVICE_FIELDS                                                   \
	uint8_t mac[6];                                                          \
	uint8_t flags;              /* enum wire_arp_flags */                    \
	uint8_t n4, n6;                                                          \
	uint8_t ipv4[WIRE_ARP_V4_MAX][4];                                        \
	uint8_t ipv6[WIRE_ARP_V6_MAX][16];                                       \
	uint64_t first_seen_ms, last_seen_ms;                                    \
	char vendor[WIRE_ARP_VENDOR_MAX + 1]

struct wire_arp_device {
	WIRE_ARP_DEVICE_FIELDS;
	uint8_t nnames;
	struct wire_arp_name {
		uint8_t source;         /* enum name_source, DHCP..NETBIOS */
		char name[WIRE_ARP_NAME_MAX + 1];
	} names[WIRE_ARP_NAMES_MAX];
	struct device_about about;  /* what it says about itself, "" = never said */
};
#define WIRE_ARP_DEVICE_MIN 28      /* 26 fixed bytes, no address, empty vendor, no name */
#define WIRE_ARP_ABOUT_MAX (5 * 2 + NAME_VENDOR_CLASS_MAX + NAME_FINGERPRINT_MAX + \
			    3 * NAME_MODEL_MAX)    /* 719 */
#define WIRE_ARP_DEVICE_MAX (WIRE_ARP_DEVICE_MIN + 4 * WIRE_ARP_V4_MAX + 16 * WIRE_ARP_V6_MAX + \
			     WIRE_ARP_VENDOR_MAX + WIRE_ARP_NAMES_MAX * (3 + WIRE_ARP_NAME_MAX) + \
			     WIRE_ARP_ABOUT_MAX)

/* The table goes out whole, as parts 0..parts-1 of one generation (payload:
 * generation u64, part u16, parts u16, count u16, reserved u16, then count
 * devices); the reporter replaces its copy only when every part of a
 * generation arrived in order. An empty table is one part with count 0. */
#define WIRE_ARP_DEVICES_HDR_LEN 16
struct wire_arp_devices_hdr {
	uint64_t generation;
	uint16_t part, parts, count;
};

/* Events (payload: count u16, reserved u16, then count entries of 32 bytes:
 * kind u8, reserved[3], ip u32, old_mac[6], new_mac[6], count u32, time_ms u64). */
enum wire_arp_event_kind { WIRE_ARP_EV_MOVED = 1, WIRE_ARP_EV_FLIP_FLOP = 2 };
#define WIRE_ARP_EVENT_LEN 32
#define WIRE_ARP_EVENTS_MAX 64
struct wire_arp_event {
	uint8_t kind;
	uint8_t ip[4];
	uint8_t old_mac[6], new_mac[6];
	uint32_t count;             /* times it happened */
	uint64_t time_ms;           /* last time, Unix ms */
};

struct cursor;
int wire_get_arp_stats(const struct wire_msg *m, struct wire_arp_stats *out);
/* The header of an ARP_DEVICES record and a cursor over its entries; then
 * wire_get_arp_device() once per entry (count times). */
int wire_get_arp_devices(const struct wire_msg *m, struct wire_arp_devices_hdr *h,
			 struct cursor *entries);
int wire_get_arp_device(struct cursor *entries, struct wire_arp_device *out);
size_t wire_arp_events_count(const struct wire_msg *m);
int wire_get_arp_event(const struct wire_msg *m, size_t i, struct wire_arp_event *out);
size_t wire_put_arp_stats(void *buf, size_t cap, uint64_t seq, const struct wire_arp_stats *s);
/* Bytes one device takes on the wire (for filling a record to the limit). */
size_t wire_arp_device_size(const struct wire_arp_device *d);
size_t wire_put_arp_devices(void *buf, size_t cap, uint64_t seq,
			    const struct wire_arp_devices_hdr *h, const struct wire_arp_device *devs);
size_t wire_put_arp_events(void *buf, size_t cap, uint64_t seq,
			   const struct wire_arp_event *ev, size_t n);

/* Validate a received message: header, size bounds, every field. */
int wire_parse(const void *buf, size_t len, struct wire_msg *m);
/* The table row of a type, NULL for an unknown type. */
const struct wire_type_info *wire_type_info(uint8_t type);
const char *wire_strerror(int err);
const char *wire_type_name(uint8_t type);
/* Which role may send which type: the reporter refuses everything else. */
bool wire_type_allowed(int role, uint8_t type);

struct cursor;
struct wcursor;
/* Read one string into out (NUL-terminated): false when it is longer than
 * WIRE_STR_MAX or than cap - 1, runs past the payload, or is not clean UTF-8. */
bool wire_get_str(struct cursor *c, char *out, size_t cap);
/* Write s; marks w failed when s is longer than WIRE_STR_MAX or not clean. */
void wire_put_str(struct wcursor *w, const char *s);
/* Bytes wire_put_str() writes for s. */
size_t wire_str_size(const char *s);

int wire_get_hello(const struct wire_msg *m, struct wire_hello *out);
int wire_get_heartbeat(const struct wire_msg *m, struct wire_heartbeat *out);
int wire_get_cap_stats(const struct wire_msg *m, struct wire_cap_stats *out);
size_t wire_devices_count(const struct wire_msg *m);
int wire_get_device(const struct wire_msg *m, size_t i, struct wire_device *out);

/* Encoders write a whole record into buf and return its length, or 0 when
 * buf is too small. */
size_t wire_put_hello(void *buf, size_t cap, uint64_t seq, const struct wire_hello *h);
size_t wire_put_heartbeat(void *buf, size_t cap, uint64_t seq, const struct wire_heartbeat *h);
size_t wire_put_cap_stats(void *buf, size_t cap, uint64_t seq, const struct wire_cap_stats *s);
size_t wire_put_devices(void *buf, size_t cap, uint64_t seq,
			const struct wire_device *devs, size_t n);

#endif
