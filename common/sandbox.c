#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

/* Argument rules a syscall entry may carry. */
enum arg_rule {
	ARG_ANY,
	ARG_NO_EXEC,        /* mmap/mprotect: arg2 has no PROT_EXEC */
	ARG_UNIX_ONLY,      /* socket: arg0 == AF_UNIX */
	ARG_READ_ONLY,      /* openat: (arg2 & O_ACCMODE) == O_RDONLY */
};

struct rule {
	const char *name;
	enum arg_rule arg;
};

#define END { NULL, ARG_ANY }

/* Everything a netmon process does after start-up: stdio to stderr, memory,
 * time, poll loops, and sending records on a Unix socket. */
static const struct rule base_rules[] = {
	{ "read", ARG_ANY }, { "write", ARG_ANY }, { "writev", ARG_ANY },
	{ "close", ARG_ANY }, { "exit", ARG_ANY }, { "exit_group", ARG_ANY },
	{ "rt_sigreturn", ARG_ANY }, { "rt_sigprocmask", ARG_ANY },
	{ "restart_syscall", ARG_ANY },
	{ "brk", ARG_ANY }, { "mmap", ARG_NO_EXEC }, { "mprotect", ARG_NO_EXEC },
	{ "munmap", ARG_ANY }, { "mremap", ARG_ANY }, { "madvise", ARG_ANY },
	{ "futex", ARG_ANY }, { "getpid", ARG_ANY }, { "gettid", ARG_ANY },
	{ "getuid", ARG_ANY }, { "geteuid", ARG_ANY }, { "getgid", ARG_ANY },
	{ "getegid", ARG_ANY },
	{ "sysinfo", ARG_ANY },  /* glibc qsort sizes its buffer by physical memory */
	{ "tgkill", ARG_ANY },  /* abort() reports assertion failures by signal */
	{ "clock_gettime", ARG_ANY }, { "clock_nanosleep", ARG_ANY },
	{ "nanosleep", ARG_ANY }, { "gettimeofday", ARG_ANY }, { "getrandom", ARG_ANY },
	{ "poll", ARG_ANY }, { "ppoll", ARG_ANY },
	{ "fstat", ARG_ANY }, { "newfstatat", ARG_ANY }, { "lseek", ARG_ANY },
	{ "socket", ARG_UNIX_ONLY }, { "connect", ARG_ANY },
	{ "sendto", ARG_ANY }, { "sendmsg", ARG_ANY },
	{ "recvfrom", ARG_ANY }, { "recvmsg", ARG_ANY },
	{ "getsockopt", ARG_ANY },
	END
};

/* capd: the TPACKET_V3 ring is polled; pcap_stats reads PACKET_STATISTICS
 * and /sys/class/net/IF/statistics for ps_ifdrop. */
static const struct rule capd_rules[] = {
	{ "openat", ARG_READ_ONLY }, { "setsockopt", ARG_ANY }, { "ioctl", ARG_ANY },
	END
};

/* arpd: nothing beyond the base list. Its packet socket is opened, filtered
 * (SO_ATTACH_FILTER) and bound before confinement; afterwards it only sends
 * (sendto) and receives (recvfrom) on it and on its Unix socket, and waits
 * in ppoll. */
static const struct rule arpd_rules[] = {
	END
};

/* sysd: re-reads its kept-open /proc and /sys files with pread64; opens a
 * link's speed file (read-only) when an interface appears or is renamed;
 * statfs on the local file systems it reports (statvfs). Its rtnetlink socket
 * is opened before the filter and used with sendto/recvfrom (base list). */
static const struct rule sysd_rules[] = {
	{ "pread64", ARG_ANY }, { "openat", ARG_READ_ONLY }, { "statfs", ARG_ANY },
	END
};

/* reporter: accepts helpers and writes its outputs. HTTP delivery (libcurl:
 * inet sockets, its resolver thread) and the spool widen this list in the
 * change that brings them, not before. */
static const struct rule reporter_rules[] = {
	{ "accept4", ARG_ANY }, { "openat", ARG_ANY },
	END
};

static const struct rule *const role_rules[ROLE_COUNT] = {
	[ROLE_CAPD] = capd_rules,
	[ROLE_ARPD] = arpd_rules,
	[ROLE_SYSD] = sysd_rules,
	[ROLE_REPORTER] = reporter_rules,
};

/* Calls glibc makes on its own that we refuse politely. */
static const char *const eacces_calls[] = { "openat", "open", NULL };

static int add_rule(scmp_filter_ctx ctx, const struct rule *r, char *err, size_t errlen)
{
	int nr = seccomp_syscall_resolve_name(r->name);
	int rc = 0;

	if (nr == __NR_SCMP_ERROR)
		return 0; /* not a syscall on this architecture */
	switch (r->arg) {
	case ARG_ANY:
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		break;
	case ARG_NO_EXEC:
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
				      SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
		break;
	case ARG_UNIX_ONLY:
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A0(SCMP_CMP_EQ, AF_UNIX, 0));
		break;
	case ARG_READ_ONLY:
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
				      SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE, O_RDONLY));
		break;
	}
	if (rc != 0 && rc != -EEXIST) {
		snprintf(err, errlen, "seccomp rule for %s: %s", r->name, strerror(-rc));
		return -1;
	}
	return 0;
}

static bool listed(const struct rule *rules, const char *name)
{
	for (; rules->name; rules++)
		if (strcmp(rules->name, name) == 0)
			return true;
	return false;
}

static int set_limits(char *err, size_t errlen)
{
	const struct rlimit zero = { 0, 0 };
	/* no new processes; no core files holding packet or key memory */
	if (setrlimit(RLIMIT_NPROC, &zero) != 0 || setrlimit(RLIMIT_CORE, &zero) != 0) {
		snprintf(err, errlen, "setrlimit: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int sandbox_apply(enum netmon_role role, char *err, size_t errlen)
{
	if (role < 0 || role >= ROLE_COUNT) {
		snprintf(err, errlen, "no sandbox for role %d", (int)role);
		return -1;
	}
	/* the reporter's resolver thread needs a new task; helpers need none */
	if (role != ROLE_REPORTER && set_limits(err, errlen) != 0)
		return -1;

	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx) {
		snprintf(err, errlen, "seccomp_init failed");
		return -1;
	}
	int rc = -1;
	const struct rule *extra = role_rules[role];
	for (const struct rule *r = base_rules; r->name; r++) {
		/* a role list that names the same call decides its arguments */
		if (listed(extra, r->name))
			continue;
		if (add_rule(ctx, r, err, errlen) != 0)
			goto out;
	}
	for (const struct rule *r = extra; r->name; r++)
		if (add_rule(ctx, r, err, errlen) != 0)
			goto out;
	for (const char *const *c = eacces_calls; *c; c++) {
		int nr = seccomp_syscall_resolve_name(*c);
		if (nr == __NR_SCMP_ERROR || listed(extra, *c))
			continue;
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), nr, 0) != 0)
			goto fail;
	}
	/* openat for writing when only reading is allowed: refuse, not kill */
	for (const struct rule *r = extra; r->name; r++) {
		if (strcmp(r->name, "openat") != 0 || r->arg != ARG_READ_ONLY)
			continue;
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 1,
				     SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE, O_WRONLY)) != 0 ||
		    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 1,
				     SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE, O_RDWR)) != 0)
			goto fail;
	}
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1) != 0 || seccomp_load(ctx) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	snprintf(err, errlen, "cannot install the seccomp filter: %s", strerror(errno));
out:
	seccomp_release(ctx);
	return rc;
}

#ifdef NETMON_TEST_HOOKS
void sandbox_test_violation(void)
{
	char *const argv[] = { "/bin/true", NULL };
	execve(argv[0], argv, NULL);
}
#endif
