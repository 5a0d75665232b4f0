#include "rundir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int rundir_open(const char *dir, uid_t owner, bool root, char *err, size_t errlen)
{
	struct stat st;

	/* root creates it root-only; rundir_hand_over opens it to the helpers' group */
	if (mkdir(dir, root ? 0700 : 0750) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "run_dir %s: cannot create it: %s", dir, strerror(errno));
		return -1;
	}
	/* O_NOFOLLOW: a symlink in its place is refused (ELOOP), not followed */
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "run_dir %s: cannot open it as a directory: %s%s", dir,
			 strerror(errno), errno == ELOOP ? " (a symlink is not accepted)" : "");
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "run_dir %s: cannot stat it: %s", dir, strerror(errno));
		close(fd);
		return -1;
	}
	if (st.st_uid != 0 && st.st_uid != owner) {
		snprintf(err, errlen, "run_dir %s is owned by uid %ld, neither root nor the "
			 "reporter's user (uid %ld); refusing to take it over", dir,
			 (long)st.st_uid, (long)owner);
		close(fd);
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errlen, "run_dir %s is writable by %s (mode %04o); refusing to take "
			 "it over", dir, st.st_mode & S_IWOTH ? "others" : "its group",
			 (unsigned)(st.st_mode & 07777));
		close(fd);
		return -1;
	}
	/* take it back before touching anything in it */
	if (root && (fchown(fd, 0, 0) != 0 || fchmod(fd, 0700) != 0)) {
		snprintf(err, errlen, "run_dir %s: cannot make it root's while preparing it: %s",
			 dir, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int rundir_hand_over(int dirfd, const char *dir, uid_t owner, gid_t group,
		     char *err, size_t errlen)
{
	if (fchown(dirfd, owner, group) != 0 || fchmod(dirfd, 0750) != 0) {
		snprintf(err, errlen, "run_dir %s: cannot hand it to uid %ld: %s", dir,
			 (long)owner, strerror(errno));
		return -1;
	}
	return 0;
}
