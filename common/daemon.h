/*
 * Start-up steps every netmon daemon shares, so each main.c reads as a short
 * list: options → config → privileged set-up → confine → loop.
 */
#ifndef NETMON_DAEMON_H
#define NETMON_DAEMON_H

#include <signal.h>
#include <stdbool.h>
#include <stdnoreturn.h>

#include "config.h"
#include "netmon.h"

/* The options every daemon takes: -c FILE, --check-config, -h, -V (and, in
 * test builds only, --test-violate-sandbox). */
struct daemon_opts {
	const char *config_path;
	bool config_given;          /* -c was on the command line */
	bool check_only;
	bool violate_sandbox;
	const char *test_hook;      /* test builds: --test-hook=NAME[:ARG] */
};

enum {
	DAEMON_OPT_CHECK = 256, DAEMON_OPT_TEST_VIOLATE, DAEMON_OPT_TEST_HOOK,
	DAEMON_OPT_ROLE_FIRST = 300
};

#define DAEMON_SHORTOPTS ":c:hV"
#ifdef NETMON_TEST_HOOKS
#define DAEMON_TEST_LONGOPTS { "test-violate-sandbox", no_argument, NULL, DAEMON_OPT_TEST_VIOLATE }, \
	{ "test-hook", required_argument, NULL, DAEMON_OPT_TEST_HOOK },
#else
#define DAEMON_TEST_LONGOPTS
#endif
/* Put first in a role's getopt_long table; role options use DAEMON_OPT_ROLE_FIRST on. */
#define DAEMON_LONGOPTS                                                 \
	{ "config", required_argument, NULL, 'c' },                     \
	{ "check-config", no_argument, NULL, DAEMON_OPT_CHECK },        \
	{ "help", no_argument, NULL, 'h' },                             \
	{ "version", no_argument, NULL, 'V' },                          \
	DAEMON_TEST_LONGOPTS

void daemon_opts_init(struct daemon_opts *o);
/* Handle what getopt_long returned for a common option; anything else is a
 * usage error (exit 2). -h prints usage() and exits 0. */
void daemon_common_option(int ch, struct daemon_opts *o, void (*usage)(void),
			  char *const argv[]);
/* After option parsing: no operands allowed. */
void daemon_no_operands(int argc, char *const argv[]);
/* The whole command line of a daemon that takes only the common options
 * (-h prints their usage for `prog`). A daemon with options of its own runs
 * its own getopt_long loop around daemon_common_option() (see capd). */
void daemon_parse_common(int argc, char *argv[], const char *prog, struct daemon_opts *o);
/* Close every descriptor but stdio (first thing in main). */
void daemon_close_inherited(void);
/* The start of such a daemon, in one call: close inherited descriptors, log
 * as `prog`, parse the common
 * options, load the configuration (daemon_config) and install the signal
 * handlers. Returns only when the daemon is to run. */
void daemon_start(int argc, char *argv[], const char *prog, enum netmon_role role,
		  struct daemon_opts *o, struct netmon_config *cfg);
/* After confinement: honour the test-only switches (nothing in release builds):
 * --test-violate-sandbox (execve), and --test-hook=NAME[:ARG] which tries one
 * thing the sandbox should refuse or allow and logs what happened:
 *   cat:PATH  creat:PATH  trunc:PATH  append:PATH  tgkill:PID  abort
 *   write:FD  arp:FD (a 60-byte ARP request)  connect:PATH
 *   leak (4242 bytes for LeakSanitizer)
 * (capd adds inject, send-capture, write-capture, dup-capture: capd/live.c). */
void daemon_test_hooks(const struct daemon_opts *o);

/* Set by SIGTERM/SIGINT; the main loop checks it after poll() returns. */
extern volatile sig_atomic_t daemon_stop;

/* One line on stderr ("netmon-ROLE: MESSAGE; try --help"), exit 2. */
noreturn void daemon_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void daemon_version(void);
/* getopt_long returned '?' or ':' (opterr = 0, optstring starting with ':'):
 * name the offending option, whether short (even inside "-xy") or long. */
noreturn void daemon_option_error(int ch, char *const argv[]);

/* Load and resolve the configuration, apply its log level; exit 1 naming
 * the problem on failure. With check_only, print it and exit 0. A role that
 * does not capture (sysd, reporter) only warns when the machine-dependent
 * defaults cannot be found (no default route): it does not need them. */
void daemon_config(struct netmon_config *cfg, const char *path, bool check_only,
		   enum netmon_role role);

/* Install SIGTERM/SIGINT handlers and ignore SIGPIPE. */
void daemon_signals(void);

/* Switch to the role's user, drop every capability, set no_new_privs, set
 * the role's resource limits and load its seccomp filter. Any failure is
 * fatal (exit 1). daemon_confine_as names the user (used only when there is
 * root to give up), passes enum sandbox_flags (SANDBOX_STDOUT: this mode
 * prints) and says whether to log the "running as uid N" line at info level
 * (a daemon) or at debug level only (a command-line run such as capd --read);
 * daemon_confine is daemon_confine_as(the role's configured user, role, 0, true). */
void daemon_confine(const struct netmon_config *cfg, enum netmon_role role);
void daemon_confine_as(const char *user, enum netmon_role role, unsigned sandbox_flags,
		       bool announce);

#endif
