/* Test helper: hand the reporter's arpview a device table the way arpd
 * sends it (one complete ARP_DEVICES generation, in parts that fit a
 * record), and a device to put in it. For unit tests and bench tools. */
#ifndef NETMON_TESTS_ARPFEED_H
#define NETMON_TESTS_ARPFEED_H

#include <stdio.h>
#include <string.h>

#include "reporter/arpview.h"
#include "wire.h"

static inline int arpfeed(struct arpview *v, const struct wire_arp_device *devs, size_t n,
			  uint64_t generation)
{
	static uint8_t rec[WIRE_MAX_LEN];
	const size_t per = (WIRE_MAX_LEN - WIRE_HDR_LEN - WIRE_ARP_DEVICES_HDR_LEN) / WIRE_ARP_DEVICE_MAX;
	size_t parts = n ? (n + per - 1) / per : 1;
	for (size_t p = 0; p < parts; p++) {
		size_t count = n - p * per < per ? n - p * per : per;
		struct wire_arp_devices_hdr h = { .generation = generation, .part = (uint16_t)p,
						  .parts = (uint16_t)parts, .count = (uint16_t)count };
		size_t len = wire_put_arp_devices(rec, sizeof(rec), p + 1, &h, devs + p * per);
		struct wire_msg m;
		if (len == 0 || wire_parse(rec, len, &m) != WIRE_OK)
			return -1;
		arpview_record(v, &m);
	}
	return v->cur.n == n ? 0 : -1;
}

/* An active device at IPv4 addr with a MAC, a vendor and two passive names
 * (mDNS, DHCP) made from i. */
static inline void arpfeed_device(struct wire_arp_device *a, const uint8_t addr[4], unsigned i,
				  const char *vendor)
{
	memset(a, 0, sizeof(*a));
	a->mac[0] = 0x02;
	a->mac[3] = (uint8_t)(i >> 16);
	a->mac[4] = (uint8_t)(i >> 8);
	a->mac[5] = (uint8_t)i;
	a->flags = WIRE_ARP_ACTIVE | WIRE_ARP_SEEN_ARP;
	a->n4 = 1;
	memcpy(a->ipv4[0], addr, 4);
	a->first_seen_ms = 1796054400000ULL;
	a->last_seen_ms = 1796054402000ULL;
	snprintf(a->vendor, sizeof(a->vendor), "%s", vendor);
	a->nnames = 2;
	a->names[0].source = NAME_SRC_MDNS;
	snprintf(a->names[0].name, sizeof(a->names[0].name), "host-%u", i);
	a->names[1].source = NAME_SRC_DHCP;
	snprintf(a->names[1].name, sizeof(a->names[1].name), "dhcp-%u", i);
}

#endif
