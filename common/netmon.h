/* Shared identity of the netmon processes: version and roles. */
#ifndef NETMON_NETMON_H
#define NETMON_NETMON_H

#define NETMON_VERSION "0.1.0"
#define NETMON_DEFAULT_CONFIG "/etc/netmon/netmon.conf"

/* Exit statuses, the same for every binary (documented in docs/operations.md). */
#define EXIT_USAGE 2   /* bad command line */
/* EXIT_FAILURE (1): bad config, unreadable file, runtime error */

enum netmon_role {
	ROLE_CAPD = 0,
	ROLE_ARPD = 1,
	ROLE_SYSD = 2,
	ROLE_REPORTER = 3,
	ROLE_COUNT
};

/* "capd", "arpd", "sysd", "reporter"; NULL for an out-of-range value. */
const char *role_name(int role);

#endif
