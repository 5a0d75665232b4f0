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

/* Switch to the role's user, drop every capability, set no_new_privs and
 * load the role's seccomp filter. Any failure is fatal (exit 1). */
void daemon_confine(const struct netmon_config *cfg, enum netmon_role role);

#endif
