/*
 * The reporter's socket hub: one listening SOCK_SEQPACKET socket per helper
 * role in run_dir. Every peer is checked with SO_PEERCRED against the uid the
 * configuration allows for that socket's role, must say HELLO (with that role)
 * first, and then send records with consecutive sequence numbers and only of
 * the types its role may send. Anything else closes the connection and is
 * logged; the reporter itself carries on.
 */
#ifndef NETMON_REPORTER_HUB_H
#define NETMON_REPORTER_HUB_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "netmon.h"
#include "wire.h"

#define HUB_ROLES 3                  /* capd, arpd, sysd */
/* Connection slots per role: its helper, plus a few newcomers waiting for
 * their HELLO (a restarted helper, or peers that are refused once they speak).
 * A role's slots serve only its socket, and a newcomer that has not said HELLO
 * within HUB_HELLO_TIMEOUT_NS is dropped, so silent peers on one socket never
 * delay another role's helper, and delay their own role's by at most that. */
#define HUB_CONNS_PER_ROLE 4
#define HUB_MAX_CONNS (HUB_ROLES * HUB_CONNS_PER_ROLE)
#define HUB_HELLO_TIMEOUT_NS (1ULL * 1000000000ULL)
#define HUB_MAX_UIDS 2

struct hub_conn {
	int fd;                      /* -1 = free slot */
	int role;
	pid_t pid;
	uid_t uid;
	bool hello;
	uint64_t last_seq;
	uint64_t instance_id;
	uint64_t accepted_ns;
};

/* What the hub tells its owner. Records arrive validated and in order. */
struct hub_events {
	void *ctx;
	void (*connected)(void *ctx, int role, const struct wire_hello *hello, uint64_t now);
	void (*record)(void *ctx, int role, const struct wire_msg *m, uint64_t now);
	void (*disconnected)(void *ctx, int role, uint64_t now);
	void (*rejected)(void *ctx, int role);
};

struct hub {
	int listen_fd[HUB_ROLES];
	uid_t allowed_uid[HUB_ROLES][HUB_MAX_UIDS];
	int n_allowed[HUB_ROLES];
	int active[HUB_ROLES];       /* conn index of the role's live helper, -1 none */
	struct hub_conn conns[HUB_MAX_CONNS];
	struct hub_events ev;
	uint8_t *buf;                /* one receive buffer, WIRE_MAX_LEN bytes */
};

/* Bind {capd,arpd,sysd}.sock in run_dir, given as dirfd from rundir_open()
 * (run_dir is its name for messages), replacing stale sockets and refusing
 * anything else there. As root, chown them to owner:group so the dropped
 * reporter and the helpers can use them. Mode 0660. 0 or -1 with err. */
int hub_open(struct hub *h, int dirfd, const char *run_dir, uid_t owner, gid_t group,
	     char *err, size_t errlen);
void hub_allow_uid(struct hub *h, int role, uid_t uid);
void hub_set_events(struct hub *h, const struct hub_events *ev);

/* poll() set: listening sockets then connections. Returns the count. */
int hub_pollfds(const struct hub *h, struct pollfd *pfd, int max);
/* Handle what poll() reported, and time out silent new connections. */
void hub_dispatch(struct hub *h, const struct pollfd *pfd, int n, uint64_t now);
void hub_close(struct hub *h);

bool hub_role_connected(const struct hub *h, int role);

#endif
