/*
 * Privilege drop, in one fixed order (OpenBGPD/OpenSSH style):
 *   drop the bounding set and ambient set (needs CAP_SETPCAP, i.e. root),
 *   setgroups → setresgid → setresuid, verify the old ids cannot be regained,
 *   clear effective/permitted/inheritable capabilities, set no_new_privs,
 *   then read everything back and fail if any capability remains.
 * Callers treat failure as fatal.
 */
#ifndef NETMON_PRIVDROP_H
#define NETMON_PRIVDROP_H

#include <stddef.h>
#include <sys/types.h>

struct priv_user {
	char name[64];
	uid_t uid;
	gid_t gid;
};

/* Look the user up now (before any sandbox: NSS needs files). A user that
 * resolves to uid 0 is refused. */
int priv_lookup(const char *name, struct priv_user *out, char *err, size_t errlen);

/* As root: become `u` and drop everything. As non-root (e.g. started by
 * systemd with an ambient CAP_NET_RAW): stay this user, drop every
 * capability. Returns 0, or -1 with a reason in err. */
int priv_drop(const struct priv_user *u, char *err, size_t errlen);

#endif
