/*
 * A /proc or /sys file kept open for the daemon's life and re-read from
 * offset 0 with pread each sample: no path lookup, no open/close per cycle,
 * and the descriptor stays usable under the sandbox.
 */
#ifndef NETMON_SYSD_PFILE_H
#define NETMON_SYSD_PFILE_H

#include <stddef.h>
#include <stdint.h>

#define PFILE_MAX (4u << 20)   /* a file larger than this is refused */

struct pfile {
	int fd;                 /* -1 when the file could not be opened */
	uint8_t *buf;
	size_t cap;
	size_t len;             /* bytes of the last read */
	char path[256];         /* for log lines */
	int last_errno;         /* last failure logged (one line per new failure) */
};

/* Open ROOT/REL (read-only). Returns 0, or -1 (logged) with fd = -1. */
int pfile_open(struct pfile *f, const char *root, const char *rel, size_t initial_cap);
/* The whole file into f->buf/f->len. A read that fills the buffer grows it
 * (up to PFILE_MAX) and re-reads, so the content is never cut short.
 * Returns 0, or -1 (logged once per new error). */
int pfile_read(struct pfile *f);
void pfile_close(struct pfile *f);

#endif
