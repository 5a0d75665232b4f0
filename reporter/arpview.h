/*
 * The reporter's copy of what arpd said: its totals, its device table (the
 * last complete generation of ARP_DEVICES parts, docs/protocol.md) and its
 * events. The snapshot builder looks devices up by address to fill
 * connectedDevices[].mac/status/vendor/... and lists the devices no capd
 * entry matched with zero bandwidth.
 */
#ifndef NETMON_REPORTER_ARPVIEW_H
#define NETMON_REPORTER_ARPVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "names.h"
#include "wire.h"

#define ARPVIEW_MAX_DEVICES 65536u   /* arpd's own max_devices limit */
#define ARPVIEW_NAMES_MAX 16384u     /* MACs with names kept (about 2.6 KiB each) */

struct arpview_addr {               /* index entry: address → device */
	uint8_t addr[16];           /* IPv4 in [0..3], rest 0, for family 4 */
	uint8_t family;             /* 4 or 6 */
	uint32_t dev;
};

/* A device of arpd's table as the reporter keeps it: the wire entry without
 * its names and what it says about itself, which go to the names book as
 * each part arrives (a wire entry is up to 1144 bytes; this is 176, so the
 * copy and the generation being received stay ~23 MiB at 65,536 devices). */
struct arpview_device {
	WIRE_ARP_DEVICE_FIELDS;
};

struct arpview_table {
	struct arpview_device *dev;
	size_t n, cap;
};

struct arpview {
	bool have_stats, have_table;
	struct wire_arp_stats stats;
	struct arpview_table cur, building;
	uint64_t building_gen;
	unsigned next_part;             /* part expected next in `building` */
	bool building_ok;
	struct arpview_addr *index;     /* sorted, over cur */
	size_t n_index;
	struct wire_arp_event ev[WIRE_ARP_EVENTS_MAX];
	size_t n_ev;
	uint64_t generations, generations_dropped;
	/* What arpd could not have sent (docs/protocol.md, "What the reporter
	 * refuses"): an all-zero MAC, a MAC twice in one generation, more devices
	 * than [arpd] max_devices. Each left out and counted, one log line per record. */
	size_t max_devices;             /* 0: ARPVIEW_MAX_DEVICES */
	uint64_t refused_devices;
	/* times in the future (arpd shares the reporter's clock) are shown as now */
	uint64_t clamped_times;
	/* names by MAC: arpd's passive names and what devices say about
	 * themselves, from every part of arpd's table that arrived in order,
	 * and what reverse DNS answers (reporter/resolver.c) */
	struct names_book names;
};

void arpview_init(struct arpview *v);
void arpview_free(struct arpview *v);
/* An ARP_* record that wire_parse accepted. */
void arpview_record(struct arpview *v, const struct wire_msg *m);
/* The device using an address (family 4: IPv4 in addr[0..3]; 6), or -1. */
long arpview_find(const struct arpview *v, int family, const uint8_t *addr);

#endif
