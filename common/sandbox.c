#include "sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <linux/sched.h>   /* CLONE_* (<sched.h> is common/sched.h here) */
#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* O_TMPFILE's own bit: glibc's O_TMPFILE (and __O_TMPFILE) include
 * O_DIRECTORY, which a read-only open of a directory (opendir) has too. */
#define TMPFILE_BIT (O_TMPFILE & ~O_DIRECTORY)

/* What a rule checks of a call's arguments. */
enum arg_rule {
	ARG_ANY,
	ARG_NO_EXEC,        /* mmap/mprotect: arg2 has no PROT_EXEC */
	ARG_READ_ONLY,      /* openat (open): arg2 (arg1) has no write-implying flag; those get EACCES */
	ARG_OUT_FD,         /* write/sendto: arg0 is stderr or one of the role's output fds */
	ARG_SELF,           /* tgkill: arg0 is our own pid */
	ARG_MAY_MOVE,       /* mremap: arg3 (flags) is 0 or MREMAP_MAYMOVE (no MREMAP_FIXED) */
	ARG_LINK_SOCKET,    /* socket: arg0 AF_UNIX, arg1 SANDBOX_LINK_SOCKET_TYPE */
	ARG_LINK_FD,        /* connect: arg0 == SANDBOX_FD_LINK */
	ARG_LINK_DUP,       /* dup3: a descriptor made after confinement onto SANDBOX_FD_LINK */
	ARG_ONE_OF,         /* argument argn is one of values[] */
	ARG_REFUSE,         /* not allowed, but refused with EPERM instead of killing */
	ARG_ENOSYS,         /* refused with ENOSYS, so libc falls back (clone3 -> clone) */
};

/* Rules are written { "call", ARG_x, "why" } with the list fields left out
 * (zero) unless ARG_ONE_OF: the table stays one short line per call. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
struct rule {
	const char *name;
	enum arg_rule arg;
	const char *why;            /* docs/security.md prints it */
	unsigned argn;              /* ARG_ONE_OF */
	const uint64_t *values;
	size_t n_values;
	const char *values_text;    /* the values' names, for the docs */
};

/* ARG_ONE_OF: argument n is one of list[] (named `text` in the docs) */
#define LIST(n, list, text) n, list, sizeof(list) / sizeof((list)[0]), text
#define END { NULL, ARG_ANY, NULL, 0, NULL, 0, NULL }

/* malloc hands freed pages back; nothing else (no MADV_DONTFORK games). */
static const uint64_t madv_free_pages[] = { MADV_DONTNEED, MADV_FREE };
/* glibc's stdio asks whether stdout is a terminal (isatty) before its first
 * write when it is a character device: a read of the terminal settings. */
static const uint64_t tty_ioctls[] = { TCGETS };

/* Everything a netmon process does after start-up: read what it already
 * holds, memory, time, poll loops, stderr. */
static const struct rule base_rules[] = {
	{ "read", ARG_ANY, "descriptors opened before confinement" },
	{ "write", ARG_OUT_FD, "log lines on stderr; records on the reporter link" },
	{ "writev", ARG_OUT_FD, "as write" },
	{ "sendto", ARG_OUT_FD, "send(): records on the reporter link" },
	{ "recvfrom", ARG_ANY, "reading a socket it holds" },
	{ "recvmsg", ARG_ANY, "reading a socket it holds" },
	{ "close", ARG_ANY, "closing what it opened" },
	{ "exit", ARG_ANY, "exit" }, { "exit_group", ARG_ANY, "exit" },
	{ "rt_sigreturn", ARG_ANY, "return from the SIGTERM/SIGINT handler" },
	{ "rt_sigprocmask", ARG_ANY, "libc blocks signals around abort()" },
	{ "restart_syscall", ARG_ANY, "a sleep interrupted by a signal" },
	{ "brk", ARG_ANY, "malloc" },
	{ "mmap", ARG_NO_EXEC, "malloc; never an executable mapping" },
	{ "mprotect", ARG_NO_EXEC, "malloc (guard pages); never executable" },
	{ "munmap", ARG_ANY, "free" },
	{ "mremap", ARG_MAY_MOVE, "realloc of a large block; never onto a chosen address" },
	{ "madvise", ARG_ONE_OF, "free; start-up code pages given back (resident.c)", LIST(2, madv_free_pages, "MADV_DONTNEED, MADV_FREE") },
	{ "futex", ARG_ANY, "libc locks (stdio)" },
	{ "getpid", ARG_ANY, "HELLO record, tgkill" }, { "gettid", ARG_ANY, "abort()" },
	{ "getuid", ARG_ANY, "log line" }, { "geteuid", ARG_ANY, "libc" },
	{ "getgid", ARG_ANY, "libc" }, { "getegid", ARG_ANY, "libc" },
	{ "sysinfo", ARG_ANY, "glibc qsort sizes its buffer by physical memory" },
	{ "tgkill", ARG_SELF, "abort() signals the process itself; no other process" },
	{ "clock_gettime", ARG_ANY, "time" }, { "clock_nanosleep", ARG_ANY, "time" },
	{ "nanosleep", ARG_ANY, "time" }, { "gettimeofday", ARG_ANY, "time" },
	{ "getrandom", ARG_ANY, "instance ids, reconnect jitter, hash keys" },
	{ "poll", ARG_ANY, "the event loop" }, { "ppoll", ARG_ANY, "the event loop" },
	{ "fstat", ARG_ANY, "stdio" }, { "newfstatat", ARG_ANY, "stdio" },
	{ "lseek", ARG_ANY, "reading files" },
	{ "ioctl", ARG_ONE_OF, "stdio: isatty() of a character-device stdout",
	  LIST(1, tty_ioctls, "TCGETS") },
	END
};

/* The roles that talk to the reporter through common/link.c: reconnecting
 * makes a new Unix socket, puts it at SANDBOX_FD_LINK and connects it. */
static const struct rule link_rules[] = {
	{ "socket", ARG_LINK_SOCKET, "a new reporter connection: AF_UNIX SOCK_SEQPACKET only" },
	{ "dup3", ARG_LINK_DUP, "put the new connection at the link's number" },
	{ "connect", ARG_LINK_FD, "connect the link (the address is a pointer: not checkable)" },
	END
};

/* capd: the TPACKET_V3 ring is read from memory and polled; what libpcap does
 * after confinement (strace of a live capd, docs/security.md): pcap_stats
 * reads PACKET_STATISTICS and /sys/class/net/IF/statistics; an interface that
 * goes down or away is detected with getsockname and SIOCGIFFLAGS;
 * pcap_close tears the ring down with setsockopt (the kernel does it anyway
 * when the socket closes). */
static const uint64_t capd_ioctls[] = { SIOCGIFFLAGS, TCGETS };
static const uint64_t capd_sockopts[] = { PACKET_STATISTICS, SO_ERROR };
static const struct rule capd_rules[] = {
	{ "openat", ARG_READ_ONLY, "libpcap reads /sys/class/net/IF/statistics" },
	{ "getsockopt", ARG_ONE_OF, "pcap_stats; libpcap on a poll error",
	  LIST(2, capd_sockopts, "PACKET_STATISTICS, SO_ERROR") },
	{ "getsockname", ARG_ANY, "libpcap: did the interface go away?" },
	{ "ioctl", ARG_ONE_OF, "libpcap: is the interface down? (and isatty, as everywhere)",
	  LIST(1, capd_ioctls, "SIOCGIFFLAGS, TCGETS") },
	{ "setsockopt", ARG_REFUSE, "pcap_close unmaps the ring (the kernel does on close)" },
	END
};

/* arpd: sends and receives on its packet socket (at SANDBOX_FD_PACKET). */
static const struct rule arpd_rules[] = {
	{ "setsockopt", ARG_ANY, "its packet socket" },
	END
};

/* sysd: re-reads its kept-open /proc and /sys files with pread64; opens a
 * link's speed file (read-only) when an interface appears or is renamed;
 * statfs on the local file systems it reports (statvfs). Its rtnetlink socket
 * is opened before the filter, lives at SANDBOX_FD_NETLINK and is used with
 * sendto/recvfrom (base list). */
static const struct rule sysd_rules[] = {
	{ "pread64", ARG_ANY, "re-reads its kept-open /proc and /sys files" },
	{ "openat", ARG_READ_ONLY, "a link's speed file when an interface appears" },
	{ "statfs", ARG_ANY, "disk usage (statvfs)" },
	END
};

/* reporter: accepts helpers, writes its outputs (stdout and files it opens
 * after confinement, so on any descriptor), its spool and state file, and
 * POSTs with libcurl (inet sockets, a resolver thread). */
/* libcurl's sockets: TCP (and the resolver's UDP) to the API; the hub's
 * listeners are AF_UNIX and made before confinement. */
static const uint64_t reporter_domains[] = { AF_UNIX, AF_INET, AF_INET6 };
/* SO_PEERCRED for a connecting helper; SO_ERROR when a non-blocking connect
 * ends (libcurl); SO_TYPE, SO_SNDBUF as libcurl asks about its sockets */
static const uint64_t reporter_sockopts[] = { SO_PEERCRED, SO_ERROR, SO_TYPE, SO_SNDBUF };
/* glibc's DNS client sizes an answer before reading it; isatty of stdout */
static const uint64_t reporter_ioctls[] = { FIONREAD, TCGETS };
/* exactly the flags glibc's pthread_create passes: a thread, never a process */
static const uint64_t thread_clone_flags[] = {
	CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
	CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID
};
static const struct rule reporter_rules[] = {
	{ "accept4", ARG_ANY, "helpers connecting" },
	{ "getsockopt", ARG_ONE_OF, "the uid of a connecting helper; libcurl's socket state",
	  LIST(2, reporter_sockopts, "SO_PEERCRED, SO_ERROR, SO_TYPE, SO_SNDBUF") },
	{ "openat", ARG_ANY, "output files, spool, state file, the CA bundle" },
	{ "write", ARG_ANY, "outputs, spool and state files, TLS records on the API's socket" },
	{ "writev", ARG_ANY, "as write" },
	{ "sendto", ARG_ANY, "libcurl sends on the API's socket" },
	{ "sendmsg", ARG_ANY, "libcurl / OpenSSL on the API's socket" },
	{ "fcntl", ARG_ANY, "non-blocking outputs and sockets (F_GETFL/F_SETFL)" },
	/* spool, state file and prometheus: textfiles: temp file, fsync, rename;
	 * the spool is scanned at start and delivered files removed */
	{ "fsync", ARG_ANY, "a spool/state/textfile on disk before it replaces the old one" },
	{ "rename", ARG_ANY, "spool/state/textfile replaced atomically; dead letters" },
	{ "renameat", ARG_ANY, "as rename" },
	{ "renameat2", ARG_ANY, "as rename" },
	{ "unlink", ARG_ANY, "a delivered snapshot; a failed temp file" },
	{ "unlinkat", ARG_ANY, "as unlink" },
	{ "getdents64", ARG_ANY, "the spool scanned at start" },
	{ "mkdir", ARG_ANY, "state_dir/spool and spool/dead; state_dir/otlp, its spool and dead" },
	{ "mkdirat", ARG_ANY, "as mkdir" },
	/* libcurl */
	{ "socket", ARG_ONE_OF, "libcurl: TCP to the API; c-ares: UDP/TCP to the DNS servers (reverse DNS)",
	  LIST(0, reporter_domains, "AF_UNIX, AF_INET, AF_INET6") },
	{ "connect", ARG_ANY, "libcurl: the API; c-ares: the DNS servers of resolv.conf" },
	{ "setsockopt", ARG_ANY, "libcurl: TCP_NODELAY, keepalive" },
	{ "getsockname", ARG_ANY, "libcurl: the local address of a connection" },
	{ "getpeername", ARG_ANY, "libcurl: the remote address of a connection" },
	{ "socketpair", ARG_ANY, "curl_multi_poll's wakeup pair" },
	/* libcurl's threaded resolver (Debian's libcurl resolves names in a thread) */
	{ "clone", ARG_ONE_OF, "a resolver thread: glibc's thread flags only, never a process",
	  LIST(0, thread_clone_flags, "pthread_create's flags") },
	{ "clone3", ARG_ENOSYS, "flags in memory a filter cannot read: glibc falls back to clone" },
	{ "set_robust_list", ARG_ANY, "a new thread" },
	{ "rseq", ARG_ANY, "a new thread" },
	{ "rt_sigaction", ARG_ANY, "libcurl's resolver thread ignores SIGPIPE" },
	{ "uname", ARG_ANY, "glibc's resolver" },
	{ "sendmmsg", ARG_ANY, "glibc's resolver: A and AAAA queries in one call" },
	{ "ioctl", ARG_ONE_OF, "glibc's resolver (FIONREAD); isatty",
	  LIST(1, reporter_ioctls, "FIONREAD, TCGETS") },
	END
};

#ifdef NETMON_SANITIZER_BUILD
/* Sanitizer builds only (make sanitized-bins): ASan's allocator and
 * LeakSanitizer's check at exit, which stops the process from a ptrace'ing
 * helper task (prctl(PR_GET_DUMPABLE/PR_SET_DUMPABLE), clone, ptrace, wait,
 * /proc/self/task). Never in a release build. */
static const struct rule sanitizer_rules[] = {
	{ "prctl", ARG_ANY, "LSan" }, { "clone", ARG_ANY, "LSan" }, { "ptrace", ARG_ANY, "LSan" },
	{ "wait4", ARG_ANY, "LSan" }, { "waitid", ARG_ANY, "LSan" },
	{ "sched_yield", ARG_ANY, "LSan" }, { "sigaltstack", ARG_ANY, "LSan" },
	{ "rt_sigaction", ARG_ANY, "LSan" }, { "getdents64", ARG_ANY, "LSan" },
	{ "getdents", ARG_ANY, "LSan (x86_64 runtime)" },
	{ "openat", ARG_READ_ONLY, "LSan" }, { "madvise", ARG_ANY, "ASan" },
	/* the x86_64 sanitizer runtime opens /proc/self/task with open(2) */
	{ "open", ARG_READ_ONLY, "LSan" },
	{ "getppid", ARG_ANY, "LSan" }, { "kill", ARG_ANY, "LSan" },
	{ "tgkill", ARG_ANY, "LSan" }, { "readlink", ARG_ANY, "ASan" },
	{ "sched_getaffinity", ARG_ANY, "LSan" },
	END
};
#endif

/* A role's whole policy: its rules, the descriptors it may write to besides
 * stderr, and the resource limits set at confinement (as OpenSSH's sandbox
 * does: no new processes, no core files, no file growth where nothing is
 * written, few descriptors). */
struct role_policy {
	const struct rule *rules;
	bool link;                  /* talks to the reporter: link_rules, SANDBOX_FD_LINK */
	int out_fds[2];             /* more output descriptors (0 = none) */
	rlim_t nofile;              /* RLIMIT_NOFILE: descriptor numbers stay below */
	bool writes_files;          /* keeps RLIMIT_FSIZE; else 0 (unless stdio is a file) */
	bool threads;               /* keeps RLIMIT_NPROC: libcurl's resolver thread */
	const char *limits_why;
};

static const struct role_policy policies[ROLE_COUNT] = {
	[ROLE_CAPD] = { capd_rules, true, { SANDBOX_FD_NOTIFY }, 16, false, false,
			"capture socket, link, a /sys file at a time" },
	[ROLE_ARPD] = { arpd_rules, true, { SANDBOX_FD_PACKET, SANDBOX_FD_NOTIFY }, 16, false, false,
			"packet socket, link" },
	[ROLE_SYSD] = { sysd_rules, true, { SANDBOX_FD_NETLINK, SANDBOX_FD_NOTIFY }, 1024, false, false,
			"link, rtnetlink, its kept /proc files and one speed file per interface" },
	[ROLE_REPORTER] = { reporter_rules, false, { STDOUT_FILENO, SANDBOX_FD_NOTIFY }, 256, true,
			    true, "3 listeners, the hub's connections, outputs, spool, HTTP" },
};

/* Calls glibc makes on its own that we refuse politely. */
static const char *const eacces_calls[] = { "openat", "open", NULL };

/* What the filter needs to know about this process. */
struct filter_ctx {
	scmp_filter_ctx ctx;
	const struct role_policy *policy;
	unsigned flags;
	int highest_fd;             /* highest descriptor open before confinement */
};

static int add_out_fd_rules(struct filter_ctx *f, int nr)
{
	int fds[5] = { STDERR_FILENO, -1, -1, -1, -1 };
	int n = 1;
	if (f->policy->link)
		fds[n++] = SANDBOX_FD_LINK;
	for (size_t i = 0; i < 2; i++)
		if (f->policy->out_fds[i] > 0)
			fds[n++] = f->policy->out_fds[i];
	if (f->flags & SANDBOX_STDOUT)
		fds[n++] = STDOUT_FILENO;
	for (int i = 0; i < n; i++) {
		int rc = seccomp_rule_add(f->ctx, SCMP_ACT_ALLOW, nr, 1,
					  SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fds[i]));
		if (rc != 0 && rc != -EEXIST)
			return rc;
	}
	return 0;
}

/* openat for reading only. Every flag that implies writing gets EACCES:
 * the access modes O_WRONLY/O_RDWR, and O_CREAT, O_TRUNC, O_APPEND,
 * O_TMPFILE, each matched on its own bit so any combination is refused. */
static int add_read_only_rules(scmp_filter_ctx ctx, int nr)
{
	const unsigned flags_arg = nr == SCMP_SYS(open) ? 1 : 2;
	static const uint64_t write_bits[] = { O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND,
					       TMPFILE_BIT };
	uint64_t mask = 0;
	for (size_t i = 0; i < sizeof(write_bits) / sizeof(write_bits[0]); i++)
		mask |= write_bits[i];
	struct scmp_arg_cmp cmp = { .arg = flags_arg, .op = SCMP_CMP_MASKED_EQ, .datum_a = mask,
				    .datum_b = 0 };
	int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, &cmp);
	for (size_t i = 0; rc == 0 && i < sizeof(write_bits) / sizeof(write_bits[0]); i++) {
		cmp.datum_a = cmp.datum_b = write_bits[i];
		rc = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(EACCES), nr, 1, &cmp);
	}
	return rc;
}

static int add_rule(struct filter_ctx *f, const struct rule *r, char *err, size_t errlen)
{
	scmp_filter_ctx ctx = f->ctx;
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
	case ARG_READ_ONLY:
		rc = add_read_only_rules(ctx, nr);
		break;
	case ARG_OUT_FD:
		rc = add_out_fd_rules(f, nr);
		break;
	case ARG_SELF:
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
				      SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
		break;
	case ARG_MAY_MOVE:
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
				      SCMP_A3(SCMP_CMP_MASKED_EQ, ~(scmp_datum_t)MREMAP_MAYMOVE, 0));
		break;
	case ARG_LINK_SOCKET:
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 2, SCMP_A0(SCMP_CMP_EQ, AF_UNIX),
				      SCMP_A1(SCMP_CMP_EQ, SANDBOX_LINK_SOCKET_TYPE));
		break;
	case ARG_LINK_FD:
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
				      SCMP_A0(SCMP_CMP_EQ, SANDBOX_FD_LINK));
		break;
	case ARG_LINK_DUP:
		/* only a descriptor numbered above everything open before
		 * confinement (so: made after it, by socket or a read-only
		 * openat), never the capture socket */
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 3,
				      SCMP_A0(SCMP_CMP_GT, (scmp_datum_t)f->highest_fd),
				      SCMP_A1(SCMP_CMP_EQ, SANDBOX_FD_LINK),
				      SCMP_A2(SCMP_CMP_EQ, O_CLOEXEC));
		break;
	case ARG_ONE_OF:
		for (size_t i = 0; rc == 0 && i < r->n_values; i++) {
			struct scmp_arg_cmp cmp = { .arg = r->argn, .op = SCMP_CMP_EQ,
						    .datum_a = r->values[i] };
			rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, &cmp);
		}
		break;
	case ARG_REFUSE:
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
		break;
	case ARG_ENOSYS:
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0);
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
	for (; rules && rules->name; rules++)
		if (strcmp(rules->name, name) == 0)
			return true;
	return false;
}

/* The lists that make up a role's filter, from weakest to strongest: a list
 * that names the same call as an earlier one decides its arguments. */
enum { LIST_BASE, LIST_LINK, LIST_SANITIZER, LIST_ROLE, LIST_COUNT };

static void role_lists(const struct role_policy *p, const struct rule *lists[LIST_COUNT])
{
	lists[LIST_BASE] = base_rules;
	lists[LIST_LINK] = p->link ? link_rules : NULL;
#ifdef NETMON_SANITIZER_BUILD
	lists[LIST_SANITIZER] = sanitizer_rules;
#else
	lists[LIST_SANITIZER] = NULL;
#endif
	lists[LIST_ROLE] = p->rules;
}

/* The sanitizer list allows `name` with any arguments (sanitizer builds). */
static bool sanitizer_any(const struct rule *lists[LIST_COUNT], const char *name)
{
	for (const struct rule *r = lists[LIST_SANITIZER]; r && r->name; r++)
		if (strcmp(r->name, name) == 0)
			return r->arg == ARG_ANY;
	return false;
}

static bool overridden(const struct rule *lists[LIST_COUNT], int from, const char *name)
{
	/* a test build's sanitizer runtime needs some calls with arguments no
	 * role would allow (LSan's clone of its tracer task): its "any" wins */
	if (sanitizer_any(lists, name))
		return from != LIST_SANITIZER;
	for (int l = from + 1; l < LIST_COUNT; l++)
		if (listed(lists[l], name))
			return true;
	return false;
}

static bool is_regular(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

static int set_limits(const struct role_policy *p, unsigned flags, char *err, size_t errlen)
{
	const struct rlimit zero = { 0, 0 };
	const struct rlimit nofile = { p->nofile, p->nofile };
	/* stderr (or stdout, when this mode prints) redirected to a file is a
	 * file this process writes: limiting its size would kill the daemon
	 * with SIGXFSZ at its next log line */
	bool writes_files = p->writes_files || is_regular(STDERR_FILENO) ||
			    ((flags & SANDBOX_STDOUT) && is_regular(STDOUT_FILENO));

	if (setrlimit(RLIMIT_NOFILE, &nofile) != 0 || setrlimit(RLIMIT_CORE, &zero) != 0 ||
	    (!writes_files && setrlimit(RLIMIT_FSIZE, &zero) != 0)) {
		snprintf(err, errlen, "setrlimit: %s", strerror(errno));
		return -1;
	}
#ifndef NETMON_SANITIZER_BUILD
	/* no new processes or threads (LeakSanitizer needs one at exit); the
	 * reporter's threads are held to thread flags by its clone rule */
	if (!p->threads && setrlimit(RLIMIT_NPROC, &zero) != 0) {
		snprintf(err, errlen, "setrlimit: %s", strerror(errno));
		return -1;
	}
#endif
	return 0;
}

static bool fd_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

/* Descriptors open before confinement (capture socket, listeners, ...) may
 * never be copied to the link's number. New descriptors take the lowest free
 * number, so fill every hole below the highest with /dev/null: whatever is
 * opened after confinement is then numbered above all of them, and the
 * dup3 rule can tell the two apart. The fixed numbers are not counted. */
static int seal_descriptors(const struct role_policy *p, int *highest, char *err,
			    size_t errlen)
{
	DIR *d = opendir("/proc/self/fd");
	int top = STDERR_FILENO;

	if (!d) {
		snprintf(err, errlen, "cannot list /proc/self/fd: %s", strerror(errno));
		return -1;
	}
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		if (*end != '\0' || e->d_name[0] == '\0' || fd == dirfd(d))
			continue;
		if ((p->link && fd == SANDBOX_FD_LINK) || fd == p->out_fds[0] || fd == p->out_fds[1])
			continue;
		if (fd > top)
			top = (int)fd;
	}
	closedir(d);
	if ((rlim_t)top + 4 > p->nofile) {
		snprintf(err, errlen, "descriptor %d is open at confinement; this role keeps "
			 "its descriptors below %lu", top, (unsigned long)p->nofile);
		return -1;
	}
	for (int fd = 0; fd <= top; fd++) {
		if (fd_open(fd))
			continue;
		/* the lowest free number is this one: every lower one is open */
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (null < 0 || sandbox_place_fd(null, fd) < 0) {
			snprintf(err, errlen, "cannot fill descriptor %d: %s", fd, strerror(errno));
			return -1;
		}
	}
	if (p->link && !fd_open(SANDBOX_FD_LINK)) {
		/* hold the link's number until the first connection */
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd < 0 || sandbox_place_fd(fd, SANDBOX_FD_LINK) < 0) {
			snprintf(err, errlen, "cannot reserve descriptor %d: %s", SANDBOX_FD_LINK,
				 strerror(errno));
			return -1;
		}
	}
	*highest = top;
	return 0;
}

int sandbox_place_fd(int fd, int target)
{
	if (fd == target)
		return target;
	if (fd_open(target)) {
		errno = EBUSY;
		return -1;
	}
	if (dup3(fd, target, O_CLOEXEC) < 0)
		return -1;
	close(fd);
	return target;
}

int sandbox_apply(enum netmon_role role, unsigned flags, char *err, size_t errlen)
{
	if (role < 0 || role >= ROLE_COUNT) {
		snprintf(err, errlen, "no sandbox for role %d", (int)role);
		return -1;
	}
	const struct role_policy *p = &policies[role];
	struct filter_ctx f = { .policy = p, .flags = flags, .highest_fd = -1 };
	if (seal_descriptors(p, &f.highest_fd, err, errlen) != 0 ||
	    set_limits(p, flags, err, errlen) != 0)
		return -1;

	f.ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!f.ctx) {
		snprintf(err, errlen, "seccomp_init failed");
		return -1;
	}
	int rc = -1;
	const struct rule *lists[LIST_COUNT];
	role_lists(p, lists);
	for (int l = 0; l < LIST_COUNT; l++)
		for (const struct rule *r = lists[l]; r && r->name; r++)
			if (!overridden(lists, l, r->name) && add_rule(&f, r, err, errlen) != 0)
				goto out;
	for (const char *const *c = eacces_calls; *c; c++) {
		int nr = seccomp_syscall_resolve_name(*c);
		if (nr == __NR_SCMP_ERROR || overridden(lists, -1, *c))
			continue;
		if (seccomp_rule_add(f.ctx, SCMP_ACT_ERRNO(EACCES), nr, 0) != 0)
			goto fail;
	}
	if (seccomp_attr_set(f.ctx, SCMP_FLTATR_CTL_NNP, 1) != 0 || seccomp_load(f.ctx) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	snprintf(err, errlen, "cannot install the seccomp filter: %s", strerror(errno));
out:
	seccomp_release(f.ctx);
	return rc;
}

/* ---- docs/security.md ---------------------------------------------------- */

static const char *fd_name(int fd)
{
	switch (fd) {
	case STDOUT_FILENO: return "stdout";
	case SANDBOX_FD_PACKET: return "packet socket";
	case SANDBOX_FD_NETLINK: return "rtnetlink socket";
	case SANDBOX_FD_NOTIFY: return "sd_notify socket";
	default: return "?";
	}
}

static void describe_arg(const struct rule *r, const struct role_policy *p, char *buf,
			 size_t len)
{
	switch (r->arg) {
	case ARG_ANY: snprintf(buf, len, "any"); break;
	case ARG_NO_EXEC: snprintf(buf, len, "prot without PROT_EXEC"); break;
	case ARG_READ_ONLY:
		snprintf(buf, len, "flags without O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND, "
			 "O_TMPFILE (those: EACCES)");
		break;
	case ARG_OUT_FD: {
		int n = snprintf(buf, len, "fd 2 (stderr)");
		if (p->link && n > 0 && (size_t)n < len)
			n += snprintf(buf + n, len - (size_t)n, ", %d (link)", SANDBOX_FD_LINK);
		for (size_t i = 0; i < 2; i++)
			if (p->out_fds[i] > 0 && n > 0 && (size_t)n < len)
				n += snprintf(buf + n, len - (size_t)n, ", %d (%s)", p->out_fds[i],
					      fd_name(p->out_fds[i]));
		if (p->out_fds[0] != STDOUT_FILENO && p->out_fds[1] != STDOUT_FILENO && n > 0 &&
		    (size_t)n < len)
			snprintf(buf + n, len - (size_t)n, "; fd 1 (stdout) only in a mode that "
				 "prints (SANDBOX_STDOUT: capd --dump)");
		break;
	}
	case ARG_SELF: snprintf(buf, len, "tgid == own pid"); break;
	case ARG_MAY_MOVE: snprintf(buf, len, "flags 0 or MREMAP_MAYMOVE"); break;
	case ARG_LINK_SOCKET:
		snprintf(buf, len, "AF_UNIX; type SOCK_SEQPACKET with SOCK_CLOEXEC and SOCK_NONBLOCK");
		break;
	case ARG_LINK_FD: snprintf(buf, len, "fd %d (link)", SANDBOX_FD_LINK); break;
	case ARG_LINK_DUP:
		snprintf(buf, len, "newfd %d, O_CLOEXEC, oldfd above every fd open at confinement",
			 SANDBOX_FD_LINK);
		break;
	case ARG_ONE_OF:
		snprintf(buf, len, "arg%u in { %s }", r->argn, r->values_text);
		break;
	case ARG_REFUSE: snprintf(buf, len, "refused: EPERM"); break;
	case ARG_ENOSYS: snprintf(buf, len, "refused: ENOSYS"); break;
	}
}

void sandbox_table_markdown(FILE *out)
{
	for (int role = 0; role < ROLE_COUNT; role++) {
		const struct role_policy *p = &policies[role];
		const struct rule *lists[LIST_COUNT];
		char arg[200];
		role_lists(p, lists);
		lists[LIST_SANITIZER] = NULL; /* the release table */
		fprintf(out, "\n### %s\n\n", role_name(role));
		fprintf(out, "RLIMIT_NOFILE %lu (%s), RLIMIT_NPROC 0, RLIMIT_CORE 0, "
			"RLIMIT_FSIZE %s.\n\n", (unsigned long)p->nofile, p->limits_why,
			p->writes_files ? "unchanged (it writes its output files)"
					: "0 (unless stderr, or stdout in a mode that prints, is "
					  "a regular file)");
		fprintf(out, "| syscall | arguments | why |\n|---|---|---|\n");
		for (int l = 0; l < LIST_COUNT; l++)
			for (const struct rule *r = lists[l]; r && r->name; r++) {
				if (overridden(lists, l, r->name))
					continue;
				describe_arg(r, p, arg, sizeof(arg));
				fprintf(out, "| `%s` | %s | %s |\n", r->name, arg,
					r->why ? r->why : "");
			}
		for (const char *const *c = eacces_calls; *c; c++)
			if (!overridden(lists, -1, *c))
				fprintf(out, "| `%s` | refused: EACCES | libc probing optional files |\n",
					*c);
	}
}

#ifdef NETMON_TEST_HOOKS
void sandbox_test_violation(void)
{
	char *const argv[] = { "/bin/true", NULL };
	execve(argv[0], argv, NULL);
}
#endif
