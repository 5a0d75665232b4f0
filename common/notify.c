#include "notify.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"

#define NSEC_PER_USEC 1000ULL

size_t notify_address(const char *name, void *addr)
{
	struct sockaddr_un *sun = addr;
	size_t len = name ? strlen(name) : 0;

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	/* "@name": abstract namespace, the '@' stands for the leading NUL and the
	 * address is exactly as long as the name (no trailing NUL) */
	if (len < 2 || len > sizeof(sun->sun_path) - (name[0] == '@' ? 0 : 1))
		return 0;
	if (name[0] != '/' && name[0] != '@')
		return 0;
	memcpy(sun->sun_path, name, len);
	if (name[0] == '@')
		sun->sun_path[0] = '\0';
	return offsetof(struct sockaddr_un, sun_path) + len + (name[0] == '@' ? 0 : 1);
}

uint64_t notify_watchdog_usec(const char *s)
{
	uint64_t v = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 19)
		return 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	/* keep v * 1000 inside u64 (beyond that is centuries, i.e. "off") */
	return v > UINT64_MAX / NSEC_PER_USEC ? 0 : v;
}

static bool watchdog_is_ours(void)
{
	const char *pid = getenv("WATCHDOG_PID");
	if (pid == NULL)
		return true;
	char buf[24];
	/* compare as text: WATCHDOG_PID is exactly our pid in decimal, or not ours */
	int w = snprintf(buf, sizeof(buf), "%ld", (long)getpid());
	return w > 0 && strcmp(buf, pid) == 0;
}

void notify_open(struct notify *n)
{
	const char *name = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun;

	n->fd = -1;
	n->watchdog_ns = 0;
	n->next_watchdog_ns = UINT64_MAX;  /* armed by notify_ready() */
	if (name == NULL || *name == '\0')
		return;
	size_t len = notify_address(name, &sun);
	if (len == 0) {
		log_warnx("NOTIFY_SOCKET: '%.*s' is not an absolute path or @abstract name; "
			  "not notifying the service manager", 108, name);
		return;
	}
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_warn("NOTIFY_SOCKET: socket");
		return;
	}
	if (connect(fd, (const struct sockaddr *)&sun, (socklen_t)len) != 0) {
		log_warn("NOTIFY_SOCKET: cannot connect to %s", name);
		close(fd);
		return;
	}
	/* the sandbox lets a daemon send only on fixed descriptor numbers */
	n->fd = sandbox_place_fd(fd, SANDBOX_FD_NOTIFY);
	if (n->fd < 0) {
		log_warn("NOTIFY_SOCKET: descriptor %d", SANDBOX_FD_NOTIFY);
		close(fd);
		return;
	}
	if (watchdog_is_ours())
		n->watchdog_ns = notify_watchdog_usec(getenv("WATCHDOG_USEC")) * NSEC_PER_USEC;
}

static void notify_send(struct notify *n, const char *msg)
{
	if (n->fd < 0)
		return;
	/* a datagram is sent whole or not at all; a full queue only delays the
	 * next WATCHDOG=1, so MSG_DONTWAIT and no retry */
	if (send(n->fd, msg, strlen(msg), MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && errno != EAGAIN)
		log_debug("NOTIFY_SOCKET: %s: %s", msg, strerror(errno));
}

void notify_ready(struct notify *n, uint64_t now_ns)
{
	notify_send(n, "READY=1");
	n->next_watchdog_ns = now_ns + n->watchdog_ns / 2;
}

void notify_watchdog(struct notify *n, uint64_t now_ns)
{
	if (n->fd < 0 || n->watchdog_ns == 0 || now_ns < n->next_watchdog_ns)
		return;
	notify_send(n, "WATCHDOG=1");
	n->next_watchdog_ns = now_ns + n->watchdog_ns / 2;
}

void notify_stopping(struct notify *n)
{
	notify_send(n, "STOPPING=1");
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}
