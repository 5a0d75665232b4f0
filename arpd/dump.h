/*
 * JSON lines on stdout: `--once --dump` prints the sweep's answers
 * ({"ip":"...","mac":"..."} per address, SPEC §5); the daemon's `--dump`
 * prints its device table and events at exit (what the reporter is sent).
 */
#ifndef ARPD_DUMP_H
#define ARPD_DUMP_H

#include <stdio.h>

#include "engine.h"

/* 0, or -1 when stdout failed. */
int arpd_dump_sweep(const struct sweep *s, FILE *out);
int arpd_dump_table(const struct arpd_engine *e, FILE *out);

#endif
