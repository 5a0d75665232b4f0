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

/* A device's names; zero-initialised = no names. About 1.9 KiB. */
struct device_names {
	uint8_t count[NAME_SRC_COUNT];
	struct names_dns_slot dns[NAMES_KEEP];
	struct names_passive_slot passive[NAME_SRC_COUNT - 1][NAMES_KEEP];
};

/*
 * Record that source `s` names the device `name` at time `now` (any
 * monotonic unit). A known name is refreshed; a new one is added, replacing
 * the least recently seen when NAMES_KEEP are kept. Returns 1 added, 0
 * refreshed, -1 refused (not text_clean, empty, too long, bad source).
 */
int names_observe(struct device_names *d, enum name_source s, const char *name, uint64_t now);

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

#endif
