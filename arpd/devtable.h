/*
 * The devices arpd knows, keyed by MAC, with the IPv4 and IPv6 addresses
 * each was seen using. Bounded: max_devices entries, allocated once; when
 * full the CLOCK hand evicts a device not seen since its last pass (counted).
 * Both tables (devices by MAC, address owners by IPv4) are netmon's one keyed
 * hash table, common/keytab.h: MACs and addresses are chosen by whoever sends
 * frames, so its hash is keyed with a random secret. Entries are dense
 * (0..count-1) and move when one before them is removed: owners point at
 * their device by index and are re-pointed when it moves.
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

#include "keytab.h"
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

enum dev_key_kind { DEV_KEY_MAC = 1, DEV_KEY_IPV4 = 2 };   /* keytab key kinds */

struct dev_entry {
	KEYTAB_ENTRY_HEAD;          /* DEV_KEY_MAC and the MAC; referenced = CLOCK bit */
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

struct ip_owner {                   /* per IPv4 address: who has it, who had it */
	KEYTAB_ENTRY_HEAD;          /* DEV_KEY_IPV4 and the address */
	uint32_t ip;                /* host order */
	uint32_t dev;               /* the device's index in devs */
	uint8_t prev_mac[6];
	bool has_prev;
};

struct devtable {
	struct keytab devs;         /* struct dev_entry, max_devices of them */
	struct keytab owners;       /* struct ip_owner, DEV_V4_MAX per device */
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

/* Devices 0..devtable_count()-1, in no particular order. */
static inline uint32_t devtable_count(const struct devtable *t)
{
	return keytab_count(&t->devs);
}

static inline uint32_t devtable_capacity(const struct devtable *t)
{
	return t->devs.capacity;
}

static inline struct dev_entry *devtable_at(const struct devtable *t, uint32_t i)
{
	return (struct dev_entry *)(void *)keytab_at(&t->devs, i);
}

#endif
