/*
 * A private temporary directory per test, as a cmocka fixture:
 *   cmocka_unit_test_setup_teardown(test_x, setup_tmpdir, teardown_tmpdir)
 * and in the test `struct tmpdir *t = *state;` then t->path. Removed with
 * everything in it afterwards, also when the test failed.
 */
#ifndef NETMON_TEST_TMPDIR_H
#define NETMON_TEST_TMPDIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

struct tmpdir {
	char path[64];
};

static inline int setup_tmpdir(void **state)
{
	struct tmpdir *t = calloc(1, sizeof(*t));
	if (t == NULL)
		return -1;
	snprintf(t->path, sizeof(t->path), "/tmp/nmt-unit-XXXXXX");
	if (mkdtemp(t->path) == NULL) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static inline int tmpdir_remove_one(const char *path, const struct stat *st, int flag,
				    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline int teardown_tmpdir(void **state)
{
	struct tmpdir *t = *state;
	/* depth first, not following symbolic links (tests make some) */
	int rc = nftw(t->path, tmpdir_remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(t);
	return rc == 0 ? 0 : -1;
}

#endif
