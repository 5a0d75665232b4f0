/* Shared by the name fuzz targets: the input once more through arpd's glue
 * (arpd/passive.c), checking every name it hands out. */
#ifndef FUZZ_PASSIVE_CHECK_H
#define FUZZ_PASSIVE_CHECK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "../../arpd/passive.h"

/* The same bytes through arpd's glue, as a datagram from `sport` to `dport`:
 * every name it hands out is clean and bounded too, and so is what the
 * sender says about itself (about_ok: bounds, clean text, fingerprint form),
 * which arpd's table and the wire then accept. */
static inline void through_passive(const uint8_t *data, size_t size, uint16_t sport, uint16_t dport)
{
	struct passive_udp u = { .eth_src = { 2, 0, 0x5e, 0x10, 0, 1 }, .family = 4,
				 .src = { 198, 18, 0, 23 }, .sport = sport, .dport = dport,
				 .payload = data, .len = size };
	struct passive_result r;
	(void)passive_parse(&u, &r);
	if (r.n > PASSIVE_NAMES_MAX)
		abort();
	for (size_t i = 0; i < r.n; i++) {
		size_t n = strlen(r.names[i].name);
		if (n == 0 || n > NAME_LABEL_MAX || !text_clean(r.names[i].name, n))
			abort();
	}
	if (!about_ok(&r.about))
		abort();
}

#endif
