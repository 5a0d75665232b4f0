/* libFuzzer target: the reporter's record decoder on arbitrary messages. */
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "netmon.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	}
	for (int role = 0; role < ROLE_COUNT; role++)
		(void)wire_type_allowed(role, m.hdr.type);
	return 0;
}
