/*
 * Where snapshots go: stdout and file:PATH (JSON Lines, one snapshot per
 * line). HTTP delivery with its spool arrives with its own issue; until then
 * an `http` output is refused at start-up rather than silently ignored.
 */
#ifndef NETMON_REPORTER_OUTPUT_H
#define NETMON_REPORTER_OUTPUT_H

#include <jansson.h>
#include <stddef.h>

#include "config.h"

struct output_set {
	size_t n;
	int fd[CONFIG_OUTPUTS_MAX];          /* -1 for prometheus: (a new file each cycle) */
	enum output_kind kind[CONFIG_OUTPUTS_MAX];
	const char *name[CONFIG_OUTPUTS_MAX];
};

int outputs_open(struct output_set *o, const struct netmon_config *cfg, char *err, size_t errlen);
/* Deliver one snapshot: its JSON text as one line (a newline is appended) to
 * the JSON outputs, its metrics to the prometheus: textfiles. */
void outputs_write(struct output_set *o, const json_t *snap, const char *line, size_t len);
void outputs_close(struct output_set *o);

#endif
