/*
 * The service manager's readiness and watchdog protocol (sd_notify(3)),
 * written natively: one datagram "READY=1", "WATCHDOG=1" or "STOPPING=1" to
 * the Unix socket named by $NOTIFY_SOCKET (a path, or "@name" for an
 * abstract socket). No libsystemd. Without $NOTIFY_SOCKET (runit, s6, a
 * shell) every call does nothing, so a daemon calls these unconditionally.
 *
 * The socket is opened and connected by notify_open(), before the daemon
 * confines itself; afterwards only send() on that descriptor is needed.
 */
#ifndef NETMON_NOTIFY_H
#define NETMON_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct notify {
	int fd;                     /* -1: no service manager is listening */
	uint64_t watchdog_ns;       /* WatchdogSec= as WATCHDOG_USEC; 0 = off */
	uint64_t next_watchdog_ns;  /* monotonic instant of the next WATCHDOG=1 */
};

/* Read NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from the environment
 * and connect. A malformed or unreachable address is logged once and
 * notifications are off: the daemon works without a manager. */
void notify_open(struct notify *n);
/* The start-up is complete (confined, sockets open). Also arms the watchdog. */
void notify_ready(struct notify *n, uint64_t now_ns);
/* Call from every main-loop iteration: sends WATCHDOG=1 every half period. */
void notify_watchdog(struct notify *n, uint64_t now_ns);
/* Stopping on request: sends STOPPING=1 and closes the socket. */
void notify_stopping(struct notify *n);

/* Exposed for tests: parse $NOTIFY_SOCKET into a sockaddr_un image.
 * Returns the address length, or 0 when `name` is not a usable address
 * (empty, relative, too long). `addr` must hold a struct sockaddr_un. */
size_t notify_address(const char *name, void *addr);
/* Parse WATCHDOG_USEC (decimal, > 0, no sign or garbage); 0 when invalid. */
uint64_t notify_watchdog_usec(const char *s);

#endif
