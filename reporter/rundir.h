/*
 * run_dir, the directory of the reporter's sockets, handled through one
 * descriptor so nothing the unprivileged user can change is ever followed by
 * root (the user owns run_dir once the reporter runs, so by the next start it
 * could have put a symlink or anything else in it, or swap names while root
 * works there).
 *
 * Started as root: rundir_open creates run_dir (0700) or checks the existing
 * one, then takes it back (root:root 0700 via fchown/fchmod on the
 * descriptor), so while root binds and chowns the sockets nobody else can
 * add, remove or rename an entry in it; rundir_hand_over then gives it to the
 * reporter's user (0750: helpers reach it through the group). A run_dir that
 * exists and is owned by someone other than root or the reporter's user, or
 * is writable by group or others (a 1777 /tmp-like directory), is refused:
 * taking it over would hand its other users' files to us, or ours to them.
 */
#ifndef NETMON_REPORTER_RUNDIR_H
#define NETMON_REPORTER_RUNDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The descriptor of run_dir (O_DIRECTORY|O_NOFOLLOW), checked and, as root,
 * made root-only. -1 with one line in err. */
int rundir_open(const char *dir, uid_t owner, bool root, char *err, size_t errlen);

/* As root: give run_dir to owner:group, mode 0750. 0 or -1 with err. */
int rundir_hand_over(int dirfd, const char *dir, uid_t owner, gid_t group,
		     char *err, size_t errlen);

#endif
