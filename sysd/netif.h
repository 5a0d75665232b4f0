/*
 * Interfaces: one RTM_GETLINK dump per sample gives every interface's
 * 64-bit counters (IFLA_STATS64), MTU, MAC, operstate and name; the link
 * speed comes from SYS/class/net/NAME/speed (kept open, re-read with pread;
 * 0 when unknown or down).
 *
 * Rates are bits per second over the window between two dumps, measured on
 * CLOCK_MONOTONIC. Interfaces are tracked by ifindex: a rename keeps the
 * history, an interface that vanishes is forgotten, a new one starts with a
 * baseline (no rate in its first window). A counter that goes down is a
 * reset (driver reload, interface re-created with the same index): the new
 * value becomes the baseline and the window reports no traffic for it.
 */
#ifndef NETMON_SYSD_NETIF_H
#define NETMON_SYSD_NETIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NETIF_MAX 256
#define NETIF_NAME_MAX 16      /* IFNAMSIZ */
#define NETIF_GLOBS_MAX 16
#define NETIF_RXBUF 65536

enum { NIC_RX_BYTES, NIC_TX_BYTES, NIC_RX_PACKETS, NIC_TX_PACKETS,
       NIC_RX_ERRORS, NIC_TX_ERRORS, NIC_RX_DROPPED, NIC_TX_DROPPED, NIC_N };

/* One interface as a dump describes it. */
struct netif_link {
	int32_t ifindex;
	char name[NETIF_NAME_MAX];   /* "" when missing or not valid UTF-8 */
	uint32_t mtu;
	uint8_t mac[32];
	uint8_t mac_len;
	uint8_t operstate;           /* IF_OPER_* (RFC 2863) */
	uint64_t counter[NIC_N];
	bool have_stats, have_mtu, have_oper;
};

/* Parse a chunk of RTM_NEWLINK messages (as received from the socket):
 * calls fn for each interface. Returns 1 when the chunk ends the dump
 * (NLMSG_DONE), 0 when more is to come, -1 on a malformed message or an
 * NLMSG_ERROR. Host byte order, as netlink is. */
int netif_parse_dump(const uint8_t *buf, size_t len,
		     void (*fn)(void *arg, const struct netif_link *l), void *arg);

/* Speed file content ("1000\n"; "-1" unknown) -> Mbit/s; 0 unknown. */
uint64_t netif_parse_speed(const uint8_t *buf, size_t len);

/* Comma-separated fnmatch(3) globs; include empty = every interface;
 * exclude wins. */
struct netif_filter {
	char include[NETIF_GLOBS_MAX][64];
	size_t n_include;
	char exclude[NETIF_GLOBS_MAX][64];
	size_t n_exclude;
};
int netif_filter_parse(struct netif_filter *f, const char *include, const char *exclude,
		       char *err, size_t errlen);
bool netif_filter_match(const struct netif_filter *f, const char *name);

/* Tracked interface, with its previous counters. */
struct netif_state {
	struct netif_link link;
	uint64_t prev[NIC_N];
	uint64_t prev_mono_ns;
	bool have_prev;               /* a window exists */
	double rate_bps[2];           /* rx, tx over the last window; 0 without one */
	uint64_t speed_mbps;
	int speed_fd;                 /* SYS/class/net/NAME/speed, -1 when not open */
	char speed_name[NETIF_NAME_MAX];  /* the name speed_fd was opened for */
	bool seen;                    /* in the current dump */
	bool named;                   /* a usable name (reported) */
	uint64_t resets;              /* counters that went down */
};

struct netif_table {
	struct netif_state ifs[NETIF_MAX];
	size_t n;
	uint64_t now_mono_ns;          /* of the dump being applied */
	const char *sys_root;
	const struct netif_filter *filter;
	bool read_speed;               /* false in tests without a sysfs tree */
	uint8_t *rxbuf;                /* NETIF_RXBUF bytes for the dump */
	uint32_t seq;
};

void netif_table_init(struct netif_table *t, const char *sys_root, const struct netif_filter *f);
/* Start applying a dump taken at now_mono_ns. */
void netif_table_begin(struct netif_table *t, uint64_t now_mono_ns);
/* One interface of that dump (the netif_parse_dump callback; arg = table). */
void netif_table_apply(void *table, const struct netif_link *l);
/* End of the dump: forget what vanished, read link speeds. */
void netif_table_end(struct netif_table *t);
void netif_table_free(struct netif_table *t);

/* The rtnetlink socket (opened before the sandbox). */
int netif_socket_open(void);
/* Dump every link into the table; -1 on failure (logged). */
int netif_dump(int fd, struct netif_table *t, uint64_t now_mono_ns);

#endif
