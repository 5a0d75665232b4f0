/*
 * libFuzzer target for arpd's untrusted input: Ethernet frames (ARP, VLAN,
 * IPv6 ND, and the UDP datagrams passive names read) through the parser,
 * the device table, sweep matching and the names per device, and the OUI CSV
 * parser. Input: byte 0 selects (bit 0: also parse the whole input as
 * oui.csv; bit 1: frame lengths are u16 big-endian, for DHCP and mDNS frames
 * longer than 255 bytes), then frames as [length][length bytes] until the
 * input ends. Every device must then encode as a valid ARP_DEVICES entry
 * (its names clean, bounded, of an arpd source). The table is tiny (16 devices) so eviction, address moves and
 * events are reached quickly; a /28 sweep is in progress so replies match.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../arpd/engine.h"
#include "../../arpd/report.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arpd_engine e;
	static const uint8_t key[16] = { 0x5a };
	static const uint8_t us[6] = { 0x02, 0, 0, 0, 0, 1 };
	char err[256];

	if (size == 0)
		return 0;
	memset(&e, 0, sizeof(e));
	memcpy(e.own_mac, us, 6);
	if (devtable_init(&e.table, 16, 5ULL * 1000000000ULL, 50ULL * 1000000000ULL, key) != 0)
		abort();
	struct cidr_list r = { .n = 0 };
	if (cidr_list_parse("198.18.0.0/28", &r, err, sizeof(err)) != 0 ||
	    sweep_init(&e.sweep, &r, 500, 2, err, sizeof(err)) != 0)
		abort();
	e.sweeping = true;

	uint64_t now = 0;
	uint32_t ip;
	size_t i = 1;
	while (i < size) {
		size_t len = data[i++];
		if ((data[0] & 2) && i < size)
			len = len << 8 | data[i++];
		if (len > size - i)
			len = size - i;
		while (sweep_next(&e.sweep, now, &ip))
			;
		arpd_engine_frame(&e, data + i, len, now, now);
		i += len;
		now += 3000000;             /* 3 ms a frame: ageing and retries happen */
		devtable_age(&e.table, now);
	}
	(void)sweep_done(&e.sweep, now);
	static uint8_t rec[WIRE_HDR_LEN + WIRE_ARP_DEVICES_HDR_LEN + WIRE_ARP_DEVICE_MAX];
	struct wire_arp_devices_hdr h = { .generation = 1, .part = 0, .parts = 1, .count = 1 };
	struct wire_msg m;
	for (uint32_t k = 0; k < devtable_count(&e.table); k++) {
		struct wire_arp_device d;
		arpd_wire_device(&e, devtable_at(&e.table, k), &d);
		size_t n = wire_put_arp_devices(rec, sizeof(rec), 1, &h, &d);
		if (n == 0 || wire_parse(rec, n, &m) != WIRE_OK)
			abort();
	}
	if (data[0] & 1) {
		struct oui_table t;
		if (oui_parse(&t, (const char *)data + 1, size - 1) == 0) {
			uint8_t mac[6] = { 0 };
			if (size >= 4)
				memcpy(mac, data + 1, 3);
			const char *v = oui_lookup(&t, mac);
			if (v && strlen(v) > OUI_NAME_MAX)
				abort();
			oui_free(&t);
		}
	}
	sweep_free(&e.sweep);
	devtable_free(&e.table);
	return 0;
}
