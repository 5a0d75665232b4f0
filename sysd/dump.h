/*
 * `--dump`: one JSON object {"metrics":{...},"interfaces":[...]} in the
 * payload's own shapes (SPEC §7, docs/payload.md). Values the sample lacks
 * are left out, never printed as a guess.
 */
#ifndef NETMON_SYSD_DUMP_H
#define NETMON_SYSD_DUMP_H

#include <stdio.h>

#include "sample.h"

int sysd_dump_json(const struct sysd_sampler *s, FILE *out);

#endif
