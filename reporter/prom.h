/*
 * The prometheus:PATH output: one snapshot rendered in the Prometheus text
 * exposition format for node_exporter's textfile collector, and written
 * atomically (temp file, fsync, rename) so the collector never reads half a
 * file. Every metric comes from one field of the JSON payload, through the
 * table in metricmap.c; docs/outputs.md lists them.
 */
#ifndef NETMON_REPORTER_PROM_H
#define NETMON_REPORTER_PROM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "metricmap.h"
#include "textbuf.h"

/* Append the exposition text of src to b (the reporter's path: the state's
 * device view, no payload parse). false when out of memory. */
bool prom_render_buf(struct textbuf *b, const struct metric_source *src);

/* Render snap as exposition text. Returns a malloc'd NUL-terminated string
 * (its length in *len), or NULL when out of memory. Fields the snapshot does
 * not have are left out; nothing in snap is trusted to be well-formed. */
char *prom_render(const json_t *snap, size_t *len);

/* Write text to path atomically: path.tmp opened O_NOFOLLOW, written,
 * fsync'd, renamed over path. 0, or -1 with errno set. */
int prom_write_file(const char *path, const char *text, size_t len);

#endif
