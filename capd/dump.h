/* The offline --dump output: one JSON object per line, deterministic order. */
#ifndef NETMON_CAPD_DUMP_H
#define NETMON_CAPD_DUMP_H

#include <stdio.h>

#include "table.h"

/*
 * Every entry of the table as
 *   {"mac":"aa:bb:cc:dd:ee:ff","rxBytes":N,"txBytes":N,"rxPackets":N,"txPackets":N}
 *   {"ip":"192.0.2.1",...}
 * MACs first, in byte order; then IPv4, then IPv6 addresses, each in byte
 * (numeric) order. Returns 0, or -1 on allocation or write failure.
 */
int capd_dump_json(const struct capd_table *t, FILE *out);

#endif
