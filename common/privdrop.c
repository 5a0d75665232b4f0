#include "privdrop.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int priv_lookup(const char *name, struct priv_user *out, char *err, size_t errlen)
{
	errno = 0;
	struct passwd *pw = getpwnam(name);
	if (!pw) {
		snprintf(err, errlen, "user '%s' does not exist%s%s", name,
			 errno ? ": " : "", errno ? strerror(errno) : "");
		return -1;
	}
	if (pw->pw_uid == 0) {
		snprintf(err, errlen, "user '%s' is root; netmon daemons never keep root", name);
		return -1;
	}
	snprintf(out->name, sizeof(out->name), "%s", name);
	out->uid = pw->pw_uid;
	out->gid = pw->pw_gid;
	return 0;
}

/* glibc has no wrapper for capget/capset. */
static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	return (int)syscall(SYS_capget, &h, d);
}

static int caps_clear(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof(d));
	return (int)syscall(SYS_capset, &h, d);
}

static bool has_effective(int cap)
{
	struct __user_cap_data_struct d[2];
	if (caps_get(d) != 0)
		return false;
	return (d[cap / 32].effective >> (cap % 32)) & 1;
}

static int last_cap(void)
{
	int last = CAP_LAST_CAP;
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	if (f) {
		if (fscanf(f, "%d", &last) != 1 || last < 0 || last > 63)
			last = CAP_LAST_CAP;
		fclose(f);
	}
	return last;
}

static int drop_bounding(int last, char *err, size_t errlen)
{
	for (int cap = 0; cap <= last; cap++) {
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) <= 0)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
			snprintf(err, errlen, "cannot drop capability %d from the bounding set: %s",
				 cap, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int switch_user(const struct priv_user *u, char *err, size_t errlen)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	if (setgroups(1, &u->gid) != 0 || setresgid(u->gid, u->gid, u->gid) != 0 ||
	    setresuid(u->uid, u->uid, u->uid) != 0) {
		snprintf(err, errlen, "cannot switch to user '%s': %s", u->name, strerror(errno));
		return -1;
	}
	if (getresuid(&r, &e, &s) != 0 || r != u->uid || e != u->uid || s != u->uid ||
	    getresgid(&rg, &eg, &sg) != 0 || rg != u->gid || eg != u->gid || sg != u->gid) {
		snprintf(err, errlen, "user switch to '%s' did not take effect", u->name);
		return -1;
	}
	/* the old identity must be gone for good (OpenSSH permanently_set_uid) */
	if (setuid(0) != -1 || seteuid(0) != -1 || setgid(0) != -1 || setegid(0) != -1) {
		snprintf(err, errlen, "root privileges could be regained after switching to '%s'",
			 u->name);
		return -1;
	}
	return 0;
}

static int verify_dropped(int last, bool bounding_dropped, char *err, size_t errlen)
{
	struct __user_cap_data_struct d[2];

	if (caps_get(d) != 0) {
		snprintf(err, errlen, "capget: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < 2; i++)
		if (d[i].effective || d[i].permitted || d[i].inheritable) {
			snprintf(err, errlen, "capabilities remain after the drop");
			return -1;
		}
	for (int cap = 0; cap <= last; cap++) {
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) > 0) {
			snprintf(err, errlen, "ambient capability %d remains", cap);
			return -1;
		}
		if (bounding_dropped && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) > 0) {
			snprintf(err, errlen, "bounding capability %d remains", cap);
			return -1;
		}
	}
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) {
		snprintf(err, errlen, "no_new_privs is not set");
		return -1;
	}
	return 0;
}

int priv_drop(const struct priv_user *u, char *err, size_t errlen)
{
	int last = last_cap();
	/* Without CAP_SETPCAP (systemd start as the service user) the bounding
	 * set cannot be changed; with every other set empty and no_new_privs it
	 * can never grant anything again (docs/security.md). */
	bool can_bound = has_effective(CAP_SETPCAP);

	if (can_bound && drop_bounding(last, err, errlen) != 0)
		return -1;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
		snprintf(err, errlen, "cannot clear ambient capabilities: %s", strerror(errno));
		return -1;
	}
	if (geteuid() == 0 || getuid() == 0) {
		if (switch_user(u, err, errlen) != 0)
			return -1;
	}
	if (caps_clear() != 0) {
		snprintf(err, errlen, "cannot clear capabilities: %s", strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, errlen, "cannot set no_new_privs: %s", strerror(errno));
		return -1;
	}
	return verify_dropped(last, can_bound, err, errlen);
}
