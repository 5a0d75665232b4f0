/*
 * The reporter's merge state on disk, so a restart (also after SIGKILL)
 * continues every total: devtab's banked and current counters per key,
 * capd's capture totals, when those totals started (agent.totalsSince: the
 * OTLP start time of netmon's cumulative sums), and the delivery counters a
 * user watches per channel (dropped snapshots, send failures, rejected OTLP
 * points). Saved after every snapshot to
 * STATE_DIR/reporter.state: written to a temporary file, fsynced, renamed
 * over the old one, so a crash leaves either the old or the new file whole.
 *
 * The file is read back with the bounds-checked cursor and a checksum; a
 * file that does not parse is set aside (reporter.state.bad) and logged, and
 * the reporter starts from zero rather than from wrong numbers.
 */
#ifndef NETMON_REPORTER_PERSIST_H
#define NETMON_REPORTER_PERSIST_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "delivery.h"
#include "state.h"

#define PERSIST_MAGIC "NMSTATE2"      /* + totals_since, per-channel delivery counters */
#define PERSIST_MAGIC_V1 "NMSTATE1"   /* still read: totals_since becomes "now" */

struct persist {
	char path[PATH_MAX];
	char tmp[PATH_MAX];
	uint8_t *buf;               /* reused encode buffer */
	size_t cap;
	int last_errno;             /* of the last failed save, so a streak is logged once */
	uint64_t saves, failures;
};

/* state_dir: create it if missing; started as root, it must not be a
 * symlink, must be owned by root or `owner` and not writable by group or
 * others, and is handed to owner:group mode 0700. 0, or -1 with err. */
int persist_prepare_dir(const char *state_dir, uid_t owner, gid_t group, bool root,
			char *err, size_t errlen);

void persist_open(struct persist *p, const char *state_dir);
void persist_close(struct persist *p);
/* Save now (dlv may be NULL). 0, or -1 (logged). */
int persist_save(struct persist *p, const struct reporter_state *st, const struct delivery *dlv);
/* Load what the last run saved into a fresh state (dlv may be NULL).
 * 1 restored, 0 nothing to restore, -1 unusable file (set aside). Whenever
 * nothing usable was restored, the totals start now (st->totals_since_real_ns). */
int persist_restore(struct persist *p, struct reporter_state *st, struct delivery *dlv);

/* Encode/decode, split out for unit and fuzz tests. decode fills st/dlv
 * only when the whole buffer is valid. */
size_t persist_encode(const struct reporter_state *st, const struct delivery *dlv,
		      uint8_t *buf, size_t cap);
size_t persist_encoded_size(const struct reporter_state *st);
int persist_decode(const uint8_t *buf, size_t len, struct reporter_state *st,
		   struct delivery *dlv);

#endif
