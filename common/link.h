/*
 * A helper's connection to the reporter (helpers only send; data flows one
 * way). Connects to RUN_DIR/ROLE.sock, says HELLO, then sends records without
 * ever blocking: a full socket drops the record and counts it (records carry
 * cumulative state, so the next one supersedes it). A failed send closes the
 * link; link_service() reconnects with exponential backoff and jitter.
 * The connection always lives at descriptor SANDBOX_FD_LINK (common/sandbox.h),
 * the only one besides stderr a confined helper may send on.
 */
#ifndef NETMON_LINK_H
#define NETMON_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netmon.h"

#define LINK_BACKOFF_MIN_NS (100ULL * 1000000ULL)
#define LINK_BACKOFF_MAX_NS (5ULL * 1000000000ULL)

struct helper_link {
	int fd;                         /* SANDBOX_FD_LINK, or -1 when not connected */
	enum netmon_role role;
	char path[108];                 /* sun_path */
	uint64_t instance_id;           /* random, fixed for this process */
	uint64_t start_realtime_ns;
	uint64_t start_mono_ns;
	uint64_t seq;                   /* last sequence number sent */
	uint64_t next_attempt_ns;
	uint64_t backoff_ns;
	uint64_t send_drops;            /* records lost to a full socket */
	uint64_t connects;              /* successful connections */
	bool connect_logged;            /* one warning per outage, not per retry */
};

/* -1 when run_dir makes the socket path too long. Reserves SANDBOX_FD_LINK
 * (call before confinement; fatal when that number is already open). */
int link_init(struct helper_link *l, enum netmon_role role, const char *run_dir);
/* Connect (when not connected and the backoff allows); true when connected. */
bool link_service(struct helper_link *l, uint64_t now_mono_ns);
bool link_connected(const struct helper_link *l);
/* The sequence number for the next record; pass it to a wire_put_* call. */
uint64_t link_next_seq(const struct helper_link *l);
enum link_result {
	LINK_SENT,      /* the record is on its way */
	LINK_BLOCKED,   /* the socket is full now: try again when it is writable */
	LINK_DOWN,      /* not connected (or the connection just failed) */
};

/* Send one encoded record (made with link_next_seq()); a record that cannot
 * go now is dropped and counted in send_drops. For state that supersedes
 * itself (heartbeats, totals). */
void link_send(struct helper_link *l, const void *rec, size_t len);
/* The same without dropping: the caller keeps the record's content and
 * retries after LINK_BLOCKED (poll link_fd() for POLLOUT). */
enum link_result link_try_send(struct helper_link *l, const void *rec, size_t len);
int link_fd(const struct helper_link *l);
void link_send_heartbeat(struct helper_link *l, uint64_t now_mono_ns);
/* At exit: close the connection and release SANDBOX_FD_LINK. */
void link_close(struct helper_link *l);

#endif
