/*
 * The delivery spool: every snapshot bound for the API is a file in
 * STATE_DIR/spool, written, fsynced and renamed into place before its first
 * attempt, and removed only after a 2xx (or moved to spool/dead after a
 * refusal the API will never change its mind about). Files are named
 * SEQ-SNAPSHOTID.json with a 16-hex-digit sequence, so a restarted reporter
 * finds them again, in order.
 *
 * Bounded by max_bytes: when a new snapshot would exceed it, the oldest
 * entries (never the one being sent) are dropped and counted. When the disk
 * refuses a write (full, read-only) the failure is logged loudly and the
 * snapshot is kept in memory instead, within SPOOL_MEM_MAX, so collection and
 * delivery go on; only beyond that bound is one dropped.
 */
#ifndef NETMON_REPORTER_SPOOL_H
#define NETMON_REPORTER_SPOOL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPOOL_ID_MAX 40
#define SPOOL_MEM_MAX (8u * 1024 * 1024)
#define SPOOL_ENTRY_MAX (256u * 1024 * 1024)   /* a larger file found at start is not ours */

struct spool_entry {
	uint64_t seq;
	char id[SPOOL_ID_MAX];
	size_t size;
	char *mem;                  /* body when the disk refused it, else NULL */
};

struct spool {
	char dir[PATH_MAX];
	char dead_dir[PATH_MAX];
	struct spool_entry *ring;   /* oldest at head */
	size_t head, n, cap;
	uint64_t next_seq;
	uint64_t bytes, max_bytes, mem_bytes;
	bool head_busy;             /* the oldest entry is being sent: never dropped */
	uint64_t dropped;           /* entries dropped by the size bound (or no memory) */
	uint64_t write_failures;    /* snapshots the disk refused */
	uint64_t dead_lettered;
	int last_errno;             /* of the last failed write, so a streak is logged once */
};

/* Create (if needed) and scan state_dir/spool. 0, or -1 with err. */
int spool_open(struct spool *s, const char *state_dir, uint64_t max_bytes, char *err, size_t errlen);
void spool_close(struct spool *s);
/* Add one snapshot. Returns 0 when it is on disk, 1 when kept in memory
 * (disk refused), -1 when it had to be dropped. */
int spool_put(struct spool *s, const char *id, const char *body, size_t len);
/* The oldest entry, or NULL. */
const struct spool_entry *spool_head(const struct spool *s);
/* Read the head's body (malloc'd, caller frees). 0, or -1 (file gone or
 * unreadable: the entry is dropped and counted). */
int spool_read_head(struct spool *s, char **body, size_t *len);
/* The head was delivered: remove it. */
void spool_pop_delivered(struct spool *s);
/* The head was refused for good: move it to spool/dead. */
void spool_pop_dead(struct spool *s);
size_t spool_depth(const struct spool *s);

#endif
