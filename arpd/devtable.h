/*
 * The devices arpd knows, keyed by MAC, with the IPv4 and IPv6 addresses
 * each was seen using. Bounded: max_devices entries, allocated once; when
 * full the CLOCK hand evicts a device not seen since its last pass (counted).
 * Lookups go through a hash keyed with a random secret (SipHash-2-4): MACs
 * and addresses are chosen by whoever sends frames, so an unkeyed hash would
 * let them pile every entry into one chain.
 *
 * Every IPv4 address has one owner. A different MAC claiming it is an event:
 * IP_MOVED, or FLIP_FLOP when the claimant is the MAC it had before (two
 * machines answering for one address). Events are logged once per
 * (kind, address, MAC pair) and kept in a small ring for the reporter.
 *
 * Time: monotonic nanoseconds for ageing, wall-clock nanoseconds for the
 * first/last seen the reporter shows.
 */
#ifndef ARPD_DEVTABLE_H
#define ARPD_DEVTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "name.h"

#define DEV_V4_MAX 4                /* IPv4 addresses kept per device */
#define DEV_V6_MAX 4                /* IPv6 addresses kept per device (newest replace oldest) */
#define DEV_EVENTS_MAX 64
#define DEV_MAX_DEVICES 65536u
#define DEV_NAMES_MAX 4             /* passive names kept per device (least recently seen goes) */
#define DEV_NAME_MAX 63             /* NAME_LABEL_MAX: passive names are host labels */

enum dev_seen {                     /* how a device was seen (bits) */
	SEEN_SWEEP = 1,             /* answered one of our requests */
	SEEN_ARP = 2,               /* any other ARP frame it sent */
	SEEN_ND = 4,                /* IPv6 neighbour discovery */
};

enum dev_status { DEV_ACTIVE = 1, DEV_INACTIVE = 2 };

/* A name the device announced (DHCP, mDNS, NetBIOS), already name_clean()ed
 * by arpd/passive.c. source is enum name_source (common/name.h). */
struct dev_name {
	uint8_t source;
	char name[DEV_NAME_MAX + 1];
	uint64_t seen_mono;
};

struct dev_entry {
	bool used;
	bool ref;                   /* CLOCK: seen since the hand last passed */
	uint8_t mac[6];
	uint8_t how;                /* enum dev_seen bits */
	uint8_t status;             /* enum dev_status */
	uint8_t n4, n6;
	uint32_t ipv4[DEV_V4_MAX];  /* host order */
	uint8_t ipv6[DEV_V6_MAX][16];
	uint8_t v6_next;            /* ring position for the next IPv6 address */
	uint64_t first_seen_rt, last_seen_rt;
	uint64_t last_seen_mono;
	uint64_t changed;           /* table serial of the last change (for deltas) */
	uint8_t nnames;
	struct dev_name names[DEV_NAMES_MAX];
	struct device_about about;  /* what it says about itself (common/name.h) */
};

enum dev_event_kind { EV_IP_MOVED = 1, EV_FLIP_FLOP = 2 };

struct dev_event {
	uint8_t kind;               /* enum dev_event_kind */
	uint32_t ip;
	uint8_t old_mac[6], new_mac[6];
	uint64_t time_rt;
	uint32_t count;             /* times it happened (logged once) */
};

struct dev_slot {                   /* hash slot: key and entry index, 0 = empty */
	uint64_t key;
	uint32_t val;               /* index + 1 */
};

struct ip_owner {                   /* per IPv4 address: who has it, who had it */
	uint32_t ip;
	uint32_t dev;               /* entry index */
	uint8_t prev_mac[6];
	bool has_prev;
	bool used;
};

struct devtable {
	struct dev_entry *e;
	uint32_t cap;               /* max_devices */
	uint32_t used;
	uint32_t hand;              /* CLOCK */
	struct dev_slot *slots;     /* MAC and IPv4 keys, one open-addressing table */
	uint32_t nslots;            /* power of two */
	struct ip_owner *owners;
	uint32_t owners_cap, owners_free_hint;
	uint64_t k0, k1;            /* hash key */
	uint64_t serial;
	uint64_t timeout_ns, forget_ns;
	uint64_t evictions, removed, owner_full;
	struct dev_event ev[DEV_EVENTS_MAX];
	uint32_t n_ev;
	uint64_t events_total;
};

struct dev_obs {
	uint8_t mac[6];
	uint8_t how;                /* enum dev_seen */
	bool has_v4;
	uint32_t ipv4;
	bool has_v6;
	uint8_t ipv6[16];
};

/* 0, or -1 (allocation failed). key: 16 random bytes. */
int devtable_init(struct devtable *t, uint32_t max_devices, uint64_t timeout_ns,
		  uint64_t forget_ns, const uint8_t key[16]);
int devtable_init_random(struct devtable *t, uint32_t max_devices, uint64_t timeout_ns,
			 uint64_t forget_ns);
void devtable_free(struct devtable *t);

/* Learn from one observation. Returns the entry, or NULL when it could not
 * be stored. A new event is returned in *ev (else ev->kind = 0). */
struct dev_entry *devtable_observe(struct devtable *t, const struct dev_obs *o,
				   uint64_t now_mono, uint64_t now_rt, struct dev_event *ev);
struct dev_entry *devtable_find(const struct devtable *t, const uint8_t mac[6]);
/* Age: active → inactive after the timeout, removed after forget. Returns
 * how many changed state. */
unsigned devtable_age(struct devtable *t, uint64_t now_mono);
/* Attach a passive name to a device: a known (source, name) is refreshed, a
 * new one added, replacing the least recently seen when DEV_NAMES_MAX are
 * kept. Returns 1 added, 0 refreshed, -1 refused (empty or too long). */
int devtable_name(struct devtable *t, struct dev_entry *d, uint8_t source, const char *name, uint64_t now_mono);
/* Merge what a device said about itself (about_merge: every non-empty field
 * of `a` replaces the device's). Returns the fields that changed, or -1 when
 * `a` is not about_ok (nothing is changed then). */
int devtable_about(struct devtable *t, struct dev_entry *d, const struct device_about *a);
/* Owner of an IPv4 address, or NULL. */
struct dev_entry *devtable_owner(const struct devtable *t, uint32_t ip);

#endif
