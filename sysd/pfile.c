#include "pfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static void note_error(struct pfile *f, int err, const char *what)
{
	if (f->last_errno != err)
		log_warnx("%s: %s: %s", f->path, what, strerror(err));
	f->last_errno = err;
}

int pfile_open(struct pfile *f, const char *root, const char *rel, size_t initial_cap)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	snprintf(f->path, sizeof(f->path), "%s/%s", root, rel);
	f->cap = initial_cap ? initial_cap : 4096;
	f->buf = malloc(f->cap);
	if (f->buf == NULL) {
		note_error(f, ENOMEM, "cannot allocate");
		return -1;
	}
	f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0) {
		note_error(f, errno, "cannot open");
		return -1;
	}
	return 0;
}

int pfile_read(struct pfile *f)
{
	if (f->fd < 0 || f->buf == NULL)
		return -1;
	for (;;) {
		size_t got = 0;
		while (got < f->cap) {
			ssize_t n = pread(f->fd, f->buf + got, f->cap - got, (off_t)got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				note_error(f, errno, "read");
				return -1;
			}
			if (n == 0)
				break;
			got += (size_t)n;
		}
		if (got < f->cap) {
			f->len = got;
			f->last_errno = 0;
			return 0;
		}
		if (f->cap >= PFILE_MAX) {
			note_error(f, EFBIG, "larger than the limit");
			return -1;
		}
		uint8_t *nb = realloc(f->buf, f->cap * 2);
		if (nb == NULL) {
			note_error(f, ENOMEM, "cannot grow buffer");
			return -1;
		}
		f->buf = nb;
		f->cap *= 2;
	}
}

void pfile_close(struct pfile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	free(f->buf);
	f->buf = NULL;
	f->fd = -1;
}
