#include "hub.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"

/*
 * Bind RUN_DIR/ROLE.sock through dirfd: run_dir is root's while a root-started
 * reporter does this (rundir.h), and nothing here follows a name: the stale
 * socket is removed with unlinkat, bind() takes a name relative to run_dir
 * (fchdir), the mode comes from the umask at bind time and the owner is set
 * with fchownat(AT_SYMLINK_NOFOLLOW).
 */
static int bind_role_socket(int dirfd, const char *run_dir, int role, uid_t owner, gid_t group,
			    char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	char name[32];

	snprintf(name, sizeof(name), "%s.sock", role_name(role));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", name);
	/* a stale socket from a previous run is replaced; anything else is not ours */
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "%s/%s exists and is not a socket%s; refusing it", run_dir,
				 name, S_ISLNK(st.st_mode) ? " (a symlink)" : "");
			return -1;
		}
		if (unlinkat(dirfd, name, 0) != 0) {
			snprintf(err, errlen, "cannot remove the stale %s/%s: %s", run_dir, name,
				 strerror(errno));
			return -1;
		}
	}
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || cwd < 0) {
		snprintf(err, errlen, "%s: %s", fd < 0 ? "socket" : "open .", strerror(errno));
		if (fd >= 0)
			close(fd);
		if (cwd >= 0)
			close(cwd);
		return -1;
	}
	int rc = fchdir(dirfd);
	if (rc == 0) {
		mode_t old = umask(0117);   /* created 0660, never wider even for a moment */
		rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
		umask(old);
	}
	int bind_errno = errno;
	if (fchdir(cwd) != 0)
		rc = -1;
	close(cwd);
	if (rc != 0 || listen(fd, 8) != 0) {
		snprintf(err, errlen, "cannot listen on %s/%s: %s", run_dir, name,
			 strerror(rc != 0 ? bind_errno : errno));
		close(fd);
		return -1;
	}
	if (geteuid() == 0 && fchownat(dirfd, name, owner, group, AT_SYMLINK_NOFOLLOW) != 0) {
		snprintf(err, errlen, "chown %s/%s: %s", run_dir, name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int hub_open(struct hub *h, int dirfd, const char *run_dir, uid_t owner, gid_t group,
	     char *err, size_t errlen)
{
	memset(h, 0, sizeof(*h));
	for (int r = 0; r < HUB_ROLES; r++) {
		h->listen_fd[r] = -1;
		h->active[r] = -1;
	}
	for (int i = 0; i < HUB_MAX_CONNS; i++)
		h->conns[i].fd = -1;
	h->buf = malloc(WIRE_MAX_LEN);
	if (!h->buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int r = 0; r < HUB_ROLES; r++) {
		h->listen_fd[r] = bind_role_socket(dirfd, run_dir, r, owner, group, err, errlen);
		if (h->listen_fd[r] < 0) {
			hub_close(h);
			return -1;
		}
	}
	return 0;
}

void hub_allow_uid(struct hub *h, int role, uid_t uid)
{
	for (int i = 0; i < h->n_allowed[role]; i++)
		if (h->allowed_uid[role][i] == uid)
			return;
	if (h->n_allowed[role] < HUB_MAX_UIDS)
		h->allowed_uid[role][h->n_allowed[role]++] = uid;
}

void hub_set_events(struct hub *h, const struct hub_events *ev)
{
	h->ev = *ev;
}

bool hub_role_connected(const struct hub *h, int role)
{
	return role >= 0 && role < HUB_ROLES && h->active[role] >= 0;
}

static void conn_close(struct hub *h, int idx, uint64_t now)
{
	struct hub_conn *c = &h->conns[idx];
	if (c->fd < 0)
		return;
	close(c->fd);
	c->fd = -1;
	if (h->active[c->role] == idx) {
		h->active[c->role] = -1;
		if (h->ev.disconnected)
			h->ev.disconnected(h->ev.ctx, c->role, now);
	}
}

static void conn_reject(struct hub *h, int idx, uint64_t now, const char *why)
{
	struct hub_conn *c = &h->conns[idx];
	log_warnx("%s.sock: refused peer pid %ld uid %ld: %s", role_name(c->role),
		  (long)c->pid, (long)c->uid, why);
	if (h->ev.rejected)
		h->ev.rejected(h->ev.ctx, c->role);
	conn_close(h, idx, now);
}

static bool uid_allowed(const struct hub *h, int role, uid_t uid)
{
	for (int i = 0; i < h->n_allowed[role]; i++)
		if (h->allowed_uid[role][i] == uid)
			return true;
	return false;
}

static void accept_one(struct hub *h, int role, uint64_t now)
{
	int fd = accept4(h->listen_fd[role], NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED)
			log_warn("%s.sock: accept", role_name(role));
		return;
	}
	/* each role has its own slots: peers of one socket cannot crowd out another role's helper */
	int idx = -1;
	for (int i = role * HUB_CONNS_PER_ROLE; i < (role + 1) * HUB_CONNS_PER_ROLE; i++)
		if (h->conns[i].fd < 0) {
			idx = i;
			break;
		}
	if (idx < 0) {
		log_warnx("%s.sock: all %d connection slots of this role are taken, refusing one",
			  role_name(role), HUB_CONNS_PER_ROLE);
		close(fd);
		if (h->ev.rejected)
			h->ev.rejected(h->ev.ctx, role);
		return;
	}
	struct hub_conn *c = &h->conns[idx];
	struct ucred cred;
	socklen_t len = sizeof(cred);
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->role = role;
	c->accepted_ns = now;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || len != sizeof(cred)) {
		c->pid = -1;
		c->uid = (uid_t)-1;
		conn_reject(h, idx, now, "no peer credentials");
		return;
	}
	c->pid = cred.pid;
	c->uid = cred.uid;
	if (!uid_allowed(h, role, cred.uid))
		conn_reject(h, idx, now, "uid not allowed for this socket");
}

static void handle_readable(struct hub *h, int idx, uint64_t now);

/* The first record: HELLO from the role this socket serves. */
static void handle_hello(struct hub *h, int idx, const struct wire_msg *m, uint64_t now)
{
	struct hub_conn *c = &h->conns[idx];
	struct wire_hello hello;
	int rc;

	if (m->hdr.type != WIRE_HELLO || m->hdr.seq != 1) {
		conn_reject(h, idx, now, "first record is not HELLO with sequence 1");
		return;
	}
	if ((rc = wire_get_hello(m, &hello)) != WIRE_OK) {
		conn_reject(h, idx, now, wire_strerror(rc));
		return;
	}
	if (hello.role != c->role) {
		conn_reject(h, idx, now, "HELLO names another role");
		return;
	}
	/* One live helper per role. A restarted helper's old socket is already
	 * closed by the kernel: drain it (its last records still count) and let
	 * the newcomer in. Otherwise the newcomer is refused, so a peer that
	 * only knows how to say HELLO cannot displace a working helper. */
	int old = h->active[c->role];
	if (old >= 0 && old != idx) {
		struct pollfd p = { .fd = h->conns[old].fd, .events = POLLIN };
		if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR)))
			handle_readable(h, old, now);
		if (h->active[c->role] >= 0) {
			conn_reject(h, idx, now, "this role is already connected");
			return;
		}
	}
	c->hello = true;
	c->last_seq = 1;
	c->instance_id = hello.instance_id;
	h->active[c->role] = idx;
	log_info("%s connected: pid %ld uid %ld instance %016llx", role_name(c->role),
		 (long)c->pid, (long)c->uid, (unsigned long long)hello.instance_id);
	if (h->ev.connected)
		h->ev.connected(h->ev.ctx, c->role, &hello, now);
}

static void handle_readable(struct hub *h, int idx, uint64_t now)
{
	struct hub_conn *c = &h->conns[idx];

	/* drain what is queued, a bounded number per wakeup so one peer cannot starve others */
	for (int budget = 256; budget > 0 && c->fd >= 0; budget--) {
		ssize_t n = recv(c->fd, h->buf, WIRE_MAX_LEN, MSG_TRUNC | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return;
			log_warn("%s: receive", role_name(c->role));
			conn_close(h, idx, now);
			return;
		}
		if (n == 0) {
			if (c->hello)
				log_warnx("%s (pid %ld) disconnected", role_name(c->role), (long)c->pid);
			conn_close(h, idx, now);
			return;
		}
		struct wire_msg m;
		int rc = wire_parse(h->buf, (size_t)n, &m);
		if (rc != WIRE_OK) {
			conn_reject(h, idx, now, wire_strerror(rc));
			return;
		}
		if (!c->hello) {
			handle_hello(h, idx, &m, now);
			continue;
		}
		if (m.hdr.seq != c->last_seq + 1) {
			conn_reject(h, idx, now, "sequence number out of order");
			return;
		}
		if (m.hdr.type == WIRE_HELLO || !wire_type_allowed(c->role, m.hdr.type)) {
			conn_reject(h, idx, now, "record type not allowed for this role");
			return;
		}
		c->last_seq = m.hdr.seq;
		if (h->ev.record && h->active[c->role] == idx)
			h->ev.record(h->ev.ctx, c->role, &m, now);
	}
}

int hub_pollfds(const struct hub *h, struct pollfd *pfd, int max)
{
	int n = 0;
	for (int r = 0; r < HUB_ROLES && n < max; r++)
		pfd[n++] = (struct pollfd){ .fd = h->listen_fd[r], .events = POLLIN };
	for (int i = 0; i < HUB_MAX_CONNS && n < max; i++)
		pfd[n++] = (struct pollfd){ .fd = h->conns[i].fd, .events = POLLIN };
	return n;
}

void hub_dispatch(struct hub *h, const struct pollfd *pfd, int n, uint64_t now)
{
	for (int i = 0; i < n; i++) {
		if (pfd[i].fd < 0 || !pfd[i].revents)
			continue;
		if (i < HUB_ROLES) {
			accept_one(h, i, now);
			continue;
		}
		int idx = i - HUB_ROLES;
		if (h->conns[idx].fd != pfd[i].fd)
			continue; /* slot changed during this round */
		if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
			handle_readable(h, idx, now);
	}
	for (int i = 0; i < HUB_MAX_CONNS; i++) {
		struct hub_conn *c = &h->conns[i];
		if (c->fd >= 0 && !c->hello && now - c->accepted_ns > HUB_HELLO_TIMEOUT_NS)
			conn_reject(h, i, now, "no HELLO in time");
	}
}

void hub_close(struct hub *h)
{
	for (int i = 0; i < HUB_MAX_CONNS; i++)
		if (h->conns[i].fd >= 0) {
			close(h->conns[i].fd);
			h->conns[i].fd = -1;
		}
	for (int r = 0; r < HUB_ROLES; r++)
		if (h->listen_fd[r] >= 0) {
			close(h->listen_fd[r]);
			h->listen_fd[r] = -1;
		}
	free(h->buf);
	h->buf = NULL;
}
