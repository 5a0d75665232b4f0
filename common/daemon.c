#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "privdrop.h"
#include "resident.h"
#include "sandbox.h"

#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

volatile sig_atomic_t daemon_stop;

void daemon_usage_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warnx("%s; try --help", msg);
	exit(EXIT_USAGE);
}

void daemon_option_error(int ch, char *const argv[])
{
	char name[64];
	const char *arg = optind > 0 ? argv[optind - 1] : "";

	if (strncmp(arg, "--", 2) == 0)
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(arg, "="), arg);
	else
		snprintf(name, sizeof(name), "-%c", optopt);
	if (ch == ':')
		daemon_usage_error("option '%s' needs an argument", name);
	daemon_usage_error("unknown option '%s'", name);
}

void daemon_opts_init(struct daemon_opts *o)
{
	o->config_path = NETMON_DEFAULT_CONFIG;
	o->config_given = false;
	o->check_only = false;
	o->violate_sandbox = false;
	o->test_hook = NULL;
	opterr = 0; /* we report errors ourselves, in one line */
}

void daemon_common_option(int ch, struct daemon_opts *o, void (*usage)(void),
			  char *const argv[])
{
	switch (ch) {
	case 'c':
		o->config_path = optarg;
		o->config_given = true;
		return;
	case DAEMON_OPT_CHECK:
		o->check_only = true;
		return;
	case DAEMON_OPT_TEST_VIOLATE:
		o->violate_sandbox = true;
		return;
	case DAEMON_OPT_TEST_HOOK:
		o->test_hook = optarg;
		return;
	case 'h':
		usage();
		exit(EXIT_SUCCESS);
	case 'V':
		daemon_version();
	default:
		daemon_option_error(ch, argv);
	}
}

void daemon_no_operands(int argc, char *const argv[])
{
	if (optind < argc)
		daemon_usage_error("unexpected argument '%s'", argv[optind]);
}

static void common_usage(const char *prog)
{
	printf("usage: %s [-c FILE] [--check-config]\n"
	       "  -c, --config FILE   configuration file (default %s)\n"
	       "      --check-config  validate the configuration, print it, exit 0/1\n"
	       "  -h, --help          this help\n"
	       "  -V, --version       print the version\n",
	       prog, NETMON_DEFAULT_CONFIG);
}

void daemon_parse_common(int argc, char *argv[], const char *prog, struct daemon_opts *o)
{
	static const struct option longopts[] = { DAEMON_LONGOPTS { NULL, 0, NULL, 0 } };
	int ch;

	daemon_opts_init(o);
	while ((ch = getopt_long(argc, argv, DAEMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (ch == 'h') {
			common_usage(prog);
			exit(EXIT_SUCCESS);
		}
		daemon_common_option(ch, o, NULL, argv);
	}
	daemon_no_operands(argc, argv);
}

void daemon_close_inherited(void)
{
	/* The sandbox tells descriptors apart by number: nothing but stdio may
	 * come in from whoever started us (OpenSSH's closefrom). */
	closefrom(STDERR_FILENO + 1);
}

void daemon_start(int argc, char *argv[], const char *prog, enum netmon_role role,
		  struct daemon_opts *o, struct netmon_config *cfg)
{
	daemon_close_inherited();
	log_init(prog);
	daemon_parse_common(argc, argv, prog, o);
	daemon_config(cfg, o->config_path, o->check_only, role);
	daemon_signals();
}

#ifdef NETMON_TEST_HOOKS
/* Log every line of a file (e.g. /proc/self/status), read while confined. */
static void hook_cat(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "re");
	if (!f) {
		log_warn("test hook cat %s", path);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		log_warnx("test hook cat %s: %s", path, line);
	}
	fclose(f);
}

static void hook_open(const char *name, const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_warn("test hook %s: %s refused", name, path);
		return;
	}
	log_warnx("test hook %s: %s opened (fd %d)", name, path, fd);
	close(fd);
}

static int hook_number(const char *name, const char *arg)
{
	char *end;
	long v = arg ? strtol(arg, &end, 10) : -1;
	if (!arg || *end != '\0' || v < 0 || v > INT_MAX)
		fatalx("test hook %s needs a number", name);
	return (int)v;
}

static void hook_result(const char *name, long rc)
{
	if (rc < 0)
		log_warn("test hook %s: refused", name);
	else
		log_warnx("test hook %s: done (%ld)", name, rc);
}
#endif

void daemon_test_hooks(const struct daemon_opts *o)
{
#ifdef NETMON_TEST_HOOKS
	if (o->violate_sandbox)
		sandbox_test_violation();
	if (!o->test_hook)
		return;
	char name[64];
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(o->test_hook, ":"), o->test_hook);
	const char *arg = strchr(o->test_hook, ':');
	arg = arg ? arg + 1 : NULL;
	if (strcmp(name, "cat") == 0 && arg)
		hook_cat(arg);
	else if (strcmp(name, "creat") == 0 && arg)          /* read-only create */
		hook_open(name, arg, O_RDONLY | O_CREAT);
	else if (strcmp(name, "trunc") == 0 && arg)
		hook_open(name, arg, O_RDONLY | O_TRUNC);
	else if (strcmp(name, "append") == 0 && arg)
		hook_open(name, arg, O_RDONLY | O_APPEND);
	else if (strcmp(name, "tgkill") == 0) {               /* stop another process */
		int pid = hook_number(name, arg);
		hook_result(name, syscall(SYS_tgkill, pid, pid, SIGSTOP));
	} else if (strcmp(name, "abort") == 0)                /* tgkill of ourselves */
		abort();
	else if (strcmp(name, "leak") == 0) {                 /* for LeakSanitizer to find */
		static void *volatile lost;
		lost = malloc(4242);
		log_warnx("test hook leak: 4242 bytes at %p lost", lost);
		lost = NULL;
	} else if (strcmp(name, "write") == 0)                /* write(N, ...) */
		hook_result(name, (long)write(hook_number(name, arg), "x\n", 2));
	else if (strcmp(name, "arp") == 0) {                  /* an ARP request on fd N */
		/* who-has 198.18.0.254 tell 198.18.0.1, broadcast */
		static const uint8_t frame[60] = {
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x08, 0x06,
			0, 1, 0x08, 0, 6, 4, 0, 1, 0x02, 0, 0, 0, 0, 1, 198, 18, 0, 1,
			0, 0, 0, 0, 0, 0, 198, 18, 0, 254 };
		hook_result(name, (long)write(hook_number(name, arg), frame, sizeof(frame)));
	}
	else if (strcmp(name, "fork") == 0)                   /* a new process (clone without CLONE_THREAD) */
		hook_result(name, (long)fork());
	else if (strcmp(name, "connect") == 0) {              /* connect a new socket */
		int s = socket(AF_UNIX, SANDBOX_LINK_SOCKET_TYPE, 0);
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", arg ? arg : "");
		hook_result(name, connect(s, (struct sockaddr *)&sa, sizeof(sa)));
	} else
		fatalx("unknown test hook '%s'", o->test_hook);
#else
	(void)o;
#endif
}

void daemon_version(void)
{
	printf("netmon %s\n", NETMON_VERSION);
	exit(EXIT_SUCCESS);
}

void daemon_config(struct netmon_config *cfg, const char *path, bool check_only,
		   enum netmon_role role)
{
	char err[512];

	if (config_load(cfg, path, err, sizeof(err)) != 0)
		fatalx("%s", err);
	if (config_resolve(cfg, err, sizeof(err)) != 0) {
		if (role == ROLE_CAPD || role == ROLE_ARPD)
			fatalx("%s", err);
		log_warnx("%s (not needed by this daemon)", err);
	}
	log_set_level((enum log_level)log_level_parse(cfg->log_level));
	if (check_only) {
		config_print(cfg, stdout);
		exit(fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
	}
}

static void on_stop(int sig)
{
	(void)sig;
	daemon_stop = 1;
}

void daemon_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

void daemon_confine(const struct netmon_config *cfg, enum netmon_role role)
{
	daemon_confine_as(config_user_for(cfg, role), role, 0, true);
}

void daemon_confine_as(const char *user, enum netmon_role role, unsigned sandbox_flags,
		       bool announce)
{
	char err[512];
	struct priv_user u = { .name = "", .uid = 0, .gid = 0 };

	/* the user matters only when there is root to give up */
	bool root = getuid() == 0 || geteuid() == 0;
	if ((root && priv_lookup(user, &u, err, sizeof(err)) != 0) ||
	    priv_drop(&u, err, sizeof(err)) != 0)
		fatalx("cannot drop privileges: %s", err);
	if (sandbox_apply(role, sandbox_flags, err, sizeof(err)) != 0)
		fatalx("cannot enter the sandbox: %s", err);
	if (announce)
		log_info("running as uid %u with no capabilities, seccomp on", (unsigned)getuid());
	else
		log_debug("running as uid %u with no capabilities, seccomp on", (unsigned)getuid());
	/* start-up (config, user lookup, the seccomp filter) is over: its code
	 * pages need not stay in our RSS; the loop faults back what it runs */
	resident_release_code();
}
