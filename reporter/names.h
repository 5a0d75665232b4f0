/*
 * One name per device, with its source (docs/names.md). A device is its MAC;
 * the names hang off it and survive an IP change. Per source (reverse DNS,
 * DHCP, mDNS, NetBIOS) the last NAMES_KEEP distinct names seen are kept with
 * when they were last seen; `deviceName` is the most recently seen name of
 * the first source, in the configured order, that has one. With the default
 * order "dns, dhcp, mdns, netbios" that is reverse DNS when it answers (the
 * field's original meaning), else the best passive name.
 *
 * Pure functions over caller-owned structures: no allocation, no clock, no
 * I/O. Every name is checked again on the way in (text_clean, length per
 * source): what arrives over the wire from arpd is trusted no more than what
 * arpd read off the LAN. The sources and their order (`names_order_parse`)
 * live in common/name.h, where the config parser can reach them.
 */
#ifndef NETMON_REPORTER_NAMES_H
#define NETMON_REPORTER_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "name.h"

#define NAMES_KEEP 4                /* distinct names kept per source */

struct names_dns_slot {
	char name[NAME_TEXT_MAX + 1];   /* reverse DNS names are whole dotted names */
	uint64_t seen;
};

struct names_passive_slot {
	char name[NAME_LABEL_MAX + 1];  /* passive names are host labels */
	uint64_t seen;
};

/* A device's names, and what it says about itself besides them (DHCP vendor
 * class and fingerprint, mDNS model and HINFO, from arpd); zero-initialised =
 * nothing known. About 2.6 KiB. */
struct device_names {
	uint8_t count[NAME_SRC_COUNT];
	struct names_dns_slot dns[NAMES_KEEP];
	struct names_passive_slot passive[NAME_SRC_COUNT - 1][NAMES_KEEP];
	struct device_about about;
};

/*
 * Record that source `s` names the device `name` at time `now` (any
 * monotonic unit). A known name is refreshed; a new one is added, replacing
 * the least recently seen when NAMES_KEEP are kept. Returns 1 added, 0
 * refreshed, -1 refused (not text_clean, empty, too long, bad source).
 */
int names_observe(struct device_names *d, enum name_source s, const char *name, uint64_t now);

/* What arpd says the device says about itself: every non-empty field of `a`
 * replaces the one kept (about_merge), so a device keeps its DHCP vendor
 * class when an mDNS response tells its model. Checked again on the way in
 * (about_ok). Returns the fields that changed, -1 refused (nothing changed). */
int names_about(struct device_names *d, const struct device_about *a);

/* Drop every name of one source (reverse DNS now answers NXDOMAIN, or the
 * device's address changed and its PTR names belong to the old address). */
void names_forget(struct device_names *d, enum name_source s);

/* deviceName: the most recently seen name of the first source in `o` that has
 * one, with that source in *src; "" and NAME_SRC_NONE when none has. */
const char *names_pick(const struct device_names *d, const struct names_order *o,
		       enum name_source *src);

/* The names of one source, most recently seen first: up to max pointers into
 * d in out; returns how many. */
size_t names_list(const struct device_names *d, enum name_source s, const char **out,
		  size_t max);

/*
 * The reporter's names of every device, by MAC: arpd's passive names (from
 * each complete ARP_DEVICES generation) and the reverse DNS answers land
 * here, and the snapshot reads deviceName, nameSource and the lists from it.
 * Bounded: at most `cap` MACs; when full, the one touched least recently
 * gives way (counted). Lookups are a binary search over a MAC-sorted index
 * (no hash for senders on the LAN to collide).
 */
struct names_book_entry {
	uint8_t mac[6];
	uint64_t touched;               /* caller's clock of the last names_book_get */
	struct device_names n;
};

struct names_book {
	struct names_book_entry *e;     /* n used, grown by doubling up to cap */
	uint32_t *by_mac;               /* indexes into e, sorted by MAC */
	size_t n, alloc, cap;
	uint64_t evictions;
};

/* 0, or -1 (cap 0). Nothing is allocated before the first name. */
int names_book_init(struct names_book *b, size_t cap);
void names_book_free(struct names_book *b);
/* The names of `mac`, created (empty) when missing; NULL when it cannot be
 * (out of memory). `now` is any increasing clock, for eviction. */
struct device_names *names_book_get(struct names_book *b, const uint8_t mac[6], uint64_t now);
/* Read only: the names of `mac`, or NULL. */
const struct device_names *names_book_find(const struct names_book *b, const uint8_t mac[6]);

#endif
