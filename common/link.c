#include "link.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"
#include "sched.h"
#include "wire.h"

static uint64_t random_u64(void)
{
	uint64_t v = 0;
	while (v == 0)
		if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v))
			v = mono_ns() ^ ((uint64_t)getpid() << 32);
	return v;
}

int link_init(struct helper_link *l, enum netmon_role role, const char *run_dir)
{
	memset(l, 0, sizeof(*l));
	l->fd = -1;
	l->role = role;
	int n = snprintf(l->path, sizeof(l->path), "%s/%s.sock", run_dir, role_name(role));
	if (n < 0 || (size_t)n >= sizeof(l->path))
		return -1;
	l->instance_id = random_u64();
	l->start_realtime_ns = realtime_ns();
	l->start_mono_ns = mono_ns();
	l->backoff_ns = LINK_BACKOFF_MIN_NS;
	/* Hold the link's fixed number from now on (the sandbox lets records
	 * out through that number only): /dev/null until the first connection,
	 * then the current or the last connection, replaced atomically by dup3. */
	if (fcntl(SANDBOX_FD_LINK, F_GETFD) != -1)
		fatalx("descriptor %d is already open at start-up; netmon keeps its reporter "
		       "link there (close inherited descriptors)", SANDBOX_FD_LINK);
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || sandbox_place_fd(fd, SANDBOX_FD_LINK) < 0)
		fatal("cannot reserve descriptor %d for the reporter link", SANDBOX_FD_LINK);
	return 0;
}

bool link_connected(const struct helper_link *l)
{
	return l->fd >= 0;
}

uint64_t link_next_seq(const struct helper_link *l)
{
	return l->seq + 1;
}

void link_close(struct helper_link *l)
{
	/* at exit: the number is not needed any more */
	close(SANDBOX_FD_LINK);
	l->fd = -1;
}

/* The connection is lost: stop using it, but keep its descriptor as the
 * placeholder of the fixed number until the next connection replaces it. */
static void link_down(struct helper_link *l)
{
	l->fd = -1;
}

/* A new Unix socket at the link's number (the old connection, if any, is
 * closed by the same dup3). */
static int new_socket(void)
{
	int s = socket(AF_UNIX, SANDBOX_LINK_SOCKET_TYPE, 0);
	if (s < 0)
		return -1;
	if (dup3(s, SANDBOX_FD_LINK, O_CLOEXEC) < 0) {
		int e = errno;
		close(s);
		errno = e;
		return -1;
	}
	close(s);
	return SANDBOX_FD_LINK;
}

static void schedule_retry(struct helper_link *l, uint64_t now)
{
	uint64_t jitter = 0;
	if (getrandom(&jitter, sizeof(jitter), GRND_NONBLOCK) != (ssize_t)sizeof(jitter))
		jitter = now; /* any spread will do */
	/* full backoff plus up to half again, so restarted helpers spread out */
	l->next_attempt_ns = now + l->backoff_ns + jitter % (l->backoff_ns / 2 + 1);
	l->backoff_ns *= 2;
	if (l->backoff_ns > LINK_BACKOFF_MAX_NS)
		l->backoff_ns = LINK_BACKOFF_MAX_NS;
}

static bool send_hello(struct helper_link *l)
{
	uint8_t buf[WIRE_HDR_LEN + WIRE_HELLO_LEN];
	struct wire_hello h = {
		.role = (uint8_t)l->role,
		.proto_version = WIRE_VERSION,
		.pid = (uint32_t)getpid(),
		.instance_id = l->instance_id,
		.start_time_ns = l->start_realtime_ns,
	};
	l->seq = 0;
	size_t len = wire_put_hello(buf, sizeof(buf), link_next_seq(l), &h);
	if (len == 0 || send(l->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)len)
		return false;
	l->seq++;
	return true;
}

bool link_service(struct helper_link *l, uint64_t now)
{
	if (l->fd >= 0)
		return true;
	if (now < l->next_attempt_ns)
		return false;

	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	memcpy(sa.sun_path, l->path, sizeof(l->path));
	l->fd = new_socket();
	if (l->fd < 0) {
		log_warn("socket");
		schedule_retry(l, now);
		return false;
	}
	if (connect(l->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || !send_hello(l)) {
		if (!l->connect_logged)
			log_warn("cannot reach the reporter at %s (retrying)", l->path);
		l->connect_logged = true;
		link_down(l);
		schedule_retry(l, now);
		return false;
	}
	l->connects++;
	l->connect_logged = false;
	l->backoff_ns = LINK_BACKOFF_MIN_NS;
	log_info("connected to the reporter at %s (instance %016llx)", l->path,
		 (unsigned long long)l->instance_id);
	return true;
}

int link_fd(const struct helper_link *l)
{
	return l->fd;
}

enum link_result link_try_send(struct helper_link *l, const void *rec, size_t len)
{
	if (l->fd < 0 || len == 0)
		return LINK_DOWN;
	ssize_t n = send(l->fd, rec, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n == (ssize_t)len) {
		l->seq++;
		return LINK_SENT;
	}
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return LINK_BLOCKED;
	log_warn("lost the reporter connection");
	link_down(l);
	schedule_retry(l, mono_ns());
	return LINK_DOWN;
}

void link_send(struct helper_link *l, const void *rec, size_t len)
{
	if (link_try_send(l, rec, len) != LINK_SENT)
		l->send_drops++;
}

void link_send_heartbeat(struct helper_link *l, uint64_t now)
{
	uint8_t buf[WIRE_HDR_LEN + WIRE_HEARTBEAT_LEN];
	struct wire_heartbeat hb = {
		.uptime_ms = (now - l->start_mono_ns) / NSEC_PER_MSEC,
		.send_drops = l->send_drops,
	};
	if (l->fd < 0)
		return;
	link_send(l, buf, wire_put_heartbeat(buf, sizeof(buf), link_next_seq(l), &hb));
}
