/*
 * seccomp allow-lists, one per role, in one table (common/sandbox.c).
 * Default action: kill the process. A few calls libc makes opportunistically
 * (open of locale files and the like) fail with EACCES instead, so a library
 * probing for an optional file does not take the daemon down. No mapping may
 * be executable. Also sets RLIMIT_NPROC and RLIMIT_CORE to 0.
 */
#ifndef NETMON_SANDBOX_H
#define NETMON_SANDBOX_H

#include <stddef.h>

#include "netmon.h"

int sandbox_apply(enum netmon_role role, char *err, size_t errlen);

#ifdef NETMON_TEST_HOOKS
/* Test builds only: make a call no allow-list permits (execve). Never returns
 * when the sandbox works: the kernel kills the process with SIGSYS. */
void sandbox_test_violation(void);
#endif

#endif
