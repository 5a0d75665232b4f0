/*
 * `--dump`: one JSON object {"metrics":{...},"interfaces":[...]} in the
 * payload's own shapes (SPEC §7, docs/payload.md). Values the sample lacks
 * are left out, never printed as a guess.
 */
#ifndef NETMON_SYSD_DUMP_H
#define NETMON_SYSD_DUMP_H

#include <stdio.h>

#include "sample.h"

/* max(rx, tx) bits/s over the link speed, in percent; 0 when speed unknown. */
double sysd_utilization(double rx_bps, double tx_bps, uint64_t speed_mbps);
/* "aa:bb:cc:dd:ee:ff" (any address length); buf needs 3 * len bytes. */
void sysd_format_mac(const uint8_t *mac, size_t len, char *buf, size_t n);
const char *sysd_operstate_name(uint8_t state);

int sysd_dump_json(const struct sysd_sampler *s, FILE *out);

#endif
