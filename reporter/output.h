/*
 * Local outputs: stdout and file:PATH (JSON Lines, one snapshot per line),
 * and prometheus:PATH (the snapshot's metrics as a node_exporter textfile,
 * replaced atomically each cycle, prom.h). http and otlp:URL are POSTed by
 * the delivery module (delivery.h).
 *
 * Every output has its own queue and a non-blocking descriptor, so a reader
 * that stops draining a pipe never stalls the event loop or another output.
 * A queue holds at most OUTPUT_QUEUE_MAX bytes: beyond that the oldest
 * lines that have not been started are dropped and counted. A line that has
 * been started is always finished before anything else goes out on that
 * descriptor, so a reader never sees a torn or interleaved line.
 */
#ifndef NETMON_REPORTER_OUTPUT_H
#define NETMON_REPORTER_OUTPUT_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "textbuf.h"

#define OUTPUT_QUEUE_MAX (4u * 1024 * 1024)

struct output_line {
	struct output_line *next;
	size_t len;                 /* bytes including the trailing newline */
	size_t off;                 /* bytes already written */
	char data[];
};

struct output_sink {
	enum output_kind kind;      /* OUTPUT_STDOUT, OUTPUT_FILE or OUTPUT_PROMETHEUS */
	int fd;                     /* -1 for prometheus: (a new file each cycle) */
	const char *name;           /* "stdout" or the file's path */
	struct output_line *head, *tail;
	size_t queued_bytes, queued_lines;
	uint64_t written;           /* lines written whole (prometheus: files replaced) */
	uint64_t dropped;           /* lines dropped: queue over its bound, or no reader
	                             * (prometheus: cycles whose file could not be written) */
	int last_errno;             /* last write error, so a streak is logged once */
	bool reopen_pending;        /* SIGHUP: reopen at the next line boundary */
	struct textbuf text;        /* prometheus: the text, reused every cycle */
};

struct output_set {
	size_t n;
	struct output_sink s[CONFIG_OUTPUTS_MAX];
	size_t queue_max;           /* OUTPUT_QUEUE_MAX; tests lower it */
};

/* Open the stream outputs of cfg (http and otlp: are delivery.h's). stdout is switched to
 * non-blocking. 0, or -1 with err. */
int outputs_open(struct output_set *o, const struct netmon_config *cfg, char *err, size_t errlen);
/* Queue one line (a newline is appended) on every JSON Lines output and
 * write what can be written now without blocking; render the same snapshot
 * into every prometheus: textfile. */
struct snapshot_line;
void outputs_write(struct output_set *o, struct snapshot_line *line);
/* poll() entries for outputs with something queued; returns the count. */
int outputs_pollfds(const struct output_set *o, struct pollfd *pfd, int max);
/* Write what can be written now, on every output. */
void outputs_flush(struct output_set *o);
/* logrotate: reopen every file output (at its next line boundary). */
void outputs_reopen(struct output_set *o);
/* On the way out: finish every started line, waiting at most deadline_ms for
 * a slow reader, and write whole lines only where they cannot block (files).
 * Lines never started are dropped and counted. */
void outputs_finish(struct output_set *o, int deadline_ms);
void outputs_close(struct output_set *o);

#endif
