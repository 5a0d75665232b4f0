/* libFuzzer target: the reporter's record decoder on arbitrary messages. */
#include <stddef.h>
#include <stdint.h>

#include <string.h>

#include "cursor.h"
#include "text.h"
#include "netmon.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* arpd's records: a record wire_parse accepted decodes completely */
static void fuzz_arp_records(const struct wire_msg *m)
{
	struct wire_arp_stats st;
	struct wire_arp_devices_hdr h;
	struct wire_arp_device dev;
	struct wire_arp_event ev;
	struct cursor c;
	switch (m->hdr.type) {
	case WIRE_ARP_STATS:
		if (wire_get_arp_stats(m, &st) != WIRE_OK)
			__builtin_trap();
		break;
	case WIRE_ARP_DEVICES:
		if (wire_get_arp_devices(m, &h, &c) != WIRE_OK)
			__builtin_trap();
		for (unsigned i = 0; i < h.count; i++) {
			const uint8_t *start = c.p;
			if (wire_get_arp_device(&c, &dev) != WIRE_OK)
				__builtin_trap();
			for (unsigned k = 0; k < dev.nnames; k++)
				if (dev.names[k].name[0] == '\0' ||
				    strlen(dev.names[k].name) > WIRE_ARP_NAME_MAX ||
				    !text_clean(dev.names[k].name, strlen(dev.names[k].name)))
					__builtin_trap();
			/* what it says about itself: valid, flagged exactly when
			 * there; and the entry encodes back to the same bytes */
			if (!about_ok(&dev.about) ||
			    !(dev.flags & WIRE_ARP_ABOUT) != about_empty(&dev.about))
				__builtin_trap();
			static uint8_t rec[WIRE_HDR_LEN + WIRE_ARP_DEVICES_HDR_LEN + WIRE_ARP_DEVICE_MAX];
			struct wire_arp_devices_hdr one = { .generation = 1, .part = 0, .parts = 1, .count = 1 };
			size_t n = wire_put_arp_devices(rec, sizeof(rec), 1, &one, &dev);
			size_t entry = (size_t)(c.p - start);
			if (n == 0 || n - WIRE_HDR_LEN - WIRE_ARP_DEVICES_HDR_LEN != entry ||
			    entry != wire_arp_device_size(&dev) ||
			    memcmp(rec + WIRE_HDR_LEN + WIRE_ARP_DEVICES_HDR_LEN, start, entry) != 0)
				__builtin_trap();
		}
		break;
	case WIRE_ARP_EVENTS:
		for (size_t i = 0; i < wire_arp_events_count(m); i++)
			if (wire_get_arp_event(m, i, &ev) != WIRE_OK)
				__builtin_trap();
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the string primitive on raw bytes: read strings until one fails */
	struct cursor c;
	char str[WIRE_STR_MAX + 1];
	cur_init(&c, data, size);
	while (wire_get_str(&c, str, sizeof(str)))
		;

	struct wire_msg m;
	if (wire_parse(data, size, &m) != WIRE_OK)
		return 0;
	struct wire_hello h;
	struct wire_heartbeat hb;
	struct wire_cap_stats s;
	struct wire_device d;
	static struct wire_sys_metrics sm;
	static struct wire_sys_disk sd;
	struct wire_sys_iface si;
	struct wire_iter it;
	switch (m.hdr.type) {
	case WIRE_HELLO:
		(void)wire_get_hello(&m, &h);
		break;
	case WIRE_HEARTBEAT:
		(void)wire_get_heartbeat(&m, &hb);
		break;
	case WIRE_CAP_STATS:
		(void)wire_get_cap_stats(&m, &s);
		break;
	case WIRE_CAP_DEVICES:
		for (size_t i = 0; i <= wire_devices_count(&m); i++)
			(void)wire_get_device(&m, i, &d);
		break;
	case WIRE_ARP_STATS:
	case WIRE_ARP_DEVICES:
	case WIRE_ARP_EVENTS:
		fuzz_arp_records(&m);
		break;
	case WIRE_SYS_METRICS:
		/* a record wire_parse accepted decodes, whatever its content */
		if (wire_get_sys_metrics(&m, &sm) != WIRE_OK)
			__builtin_trap();
		break;
	case WIRE_SYS_DISKS:
		for (size_t n = wire_sys_disks_begin(&m, &it); n > 0; n--)
			if (!wire_sys_disk_next(&it, &sd))
				__builtin_trap();
		break;
	case WIRE_SYS_IFACES:
		for (size_t n = wire_sys_ifaces_begin(&m, &it); n > 0; n--)
			if (!wire_sys_iface_next(&it, &si))
				__builtin_trap();
		break;
	}
	for (int role = 0; role < ROLE_COUNT; role++)
		(void)wire_type_allowed(role, m.hdr.type);
	return 0;
}
