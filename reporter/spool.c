#include "spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

static struct spool_entry *at(const struct spool *s, size_t i)
{
	return &s->ring[(s->head + i) % s->cap];
}

static int push(struct spool *s, const struct spool_entry *e)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct spool_entry *r = malloc(cap * sizeof(*r));
		if (!r)
			return -1;
		for (size_t i = 0; i < s->n; i++)
			r[i] = *at(s, i);
		free(s->ring);
		s->ring = r;
		s->cap = cap;
		s->head = 0;
	}
	*at(s, s->n) = *e;
	s->n++;
	s->bytes += e->size;
	if (e->mem)
		s->mem_bytes += e->size;
	return 0;
}

static void entry_path(const struct spool *s, const char *dir, const struct spool_entry *e,
		       char *buf, size_t n)
{
	(void)s;
	snprintf(buf, n, "%s/%016" PRIx64 "-%s.json", dir, e->seq, e->id);
}

/* Remove entry i (0 = head) from the ring, keeping order. */
static void remove_at(struct spool *s, size_t i)
{
	struct spool_entry *e = at(s, i);
	s->bytes -= e->size;
	if (e->mem) {
		s->mem_bytes -= e->size;
		free(e->mem);
	}
	for (size_t k = i; k > 0; k--)
		*at(s, k) = *at(s, k - 1);
	s->head = (s->head + 1) % s->cap;
	s->n--;
}

static void drop_at(struct spool *s, size_t i)
{
	struct spool_entry *e = at(s, i);
	char path[PATH_MAX + 64];
	if (!e->mem) {
		entry_path(s, s->dir, e, path, sizeof(path));
		if (unlink(path) != 0 && errno != ENOENT)
			log_warn("spool: cannot remove %s", path);
	}
	remove_at(s, i);
	s->dropped++;
}

static int cmp_seq(const void *a, const void *b)
{
	const struct spool_entry *x = a, *y = b;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* "SEQ-ID.json" with a 16-hex-digit SEQ and an ID of [0-9a-f-]. */
static bool parse_name(const char *name, struct spool_entry *e)
{
	size_t len = strlen(name);
	if (len < 17 + 1 + 5 || len - 17 - 5 >= SPOOL_ID_MAX || name[16] != '-' ||
	    strcmp(name + len - 5, ".json") != 0)
		return false;
	uint64_t seq = 0;
	for (int i = 0; i < 16; i++) {
		char c = name[i];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (v < 0)
			return false;
		seq = seq << 4 | (uint64_t)v;
	}
	size_t idlen = len - 17 - 5;
	for (size_t i = 0; i < idlen; i++) {
		char c = name[17 + i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-'))
			return false;
	}
	memset(e, 0, sizeof(*e));
	e->seq = seq;
	memcpy(e->id, name + 17, idlen);
	return true;
}

static int make_dir(const char *path, char *err, size_t errlen)
{
	struct stat st;
	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s is not a directory", path);
		return -1;
	}
	return 0;
}

int spool_open(struct spool *s, const char *state_dir, uint64_t max_bytes, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->max_bytes = max_bytes;
	s->next_seq = 1;
	if ((size_t)snprintf(s->dir, sizeof(s->dir), "%s/spool", state_dir) >= sizeof(s->dir) ||
	    (size_t)snprintf(s->dead_dir, sizeof(s->dead_dir), "%s/spool/dead", state_dir) >=
		    sizeof(s->dead_dir)) {
		snprintf(err, errlen, "state_dir %s is too long", state_dir);
		return -1;
	}
	if (make_dir(s->dir, err, errlen) != 0 || make_dir(s->dead_dir, err, errlen) != 0)
		return -1;
	DIR *d = opendir(s->dir);
	if (!d) {
		snprintf(err, errlen, "cannot read %s: %s", s->dir, strerror(errno));
		return -1;
	}
	int dfd = dirfd(d);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		struct spool_entry e;
		struct stat st;
		if (strncmp(de->d_name, "tmp-", 4) == 0) {
			unlinkat(dfd, de->d_name, 0);   /* a write the last run did not finish */
			continue;
		}
		if (!parse_name(de->d_name, &e))
			continue;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
		    st.st_size <= 0 || (uint64_t)st.st_size > SPOOL_ENTRY_MAX)
			continue;
		e.size = (size_t)st.st_size;
		if (push(s, &e) != 0) {
			closedir(d);
			snprintf(err, errlen, "out of memory scanning %s", s->dir);
			return -1;
		}
		if (e.seq >= s->next_seq)
			s->next_seq = e.seq + 1;
	}
	closedir(d);
	/* the ring starts at 0 here: sort it in place */
	if (s->n > 1)
		qsort(s->ring, s->n, sizeof(*s->ring), cmp_seq);
	if (s->n)
		log_info("spool: %zu snapshot(s) from an earlier run to deliver", s->n);
	return 0;
}

void spool_close(struct spool *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(at(s, i)->mem);
	free(s->ring);
	s->ring = NULL;
	s->n = s->cap = 0;
}

static int write_file(const struct spool *s, const struct spool_entry *e, const char *body,
		      size_t len)
{
	char tmp[PATH_MAX + 64], path[PATH_MAX + 64];
	snprintf(tmp, sizeof(tmp), "%s/tmp-%016" PRIx64, s->dir, e->seq);
	entry_path(s, s->dir, e, path, sizeof(path));
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, body + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		off += (size_t)n;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	return 0;
fail:;
	int saved = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = saved;
	return -1;
}

/* Make room for `len` more bytes: drop the oldest entries that are not in flight. */
static void enforce_bound(struct spool *s, size_t len)
{
	uint64_t before = s->dropped;
	while (s->n > 0 && s->bytes + len > s->max_bytes) {
		size_t victim = s->head_busy ? 1 : 0;
		if (victim >= s->n)
			break;
		drop_at(s, victim);
	}
	if (s->dropped != before)
		log_warnx("spool: over spool_max_mib, dropped the %llu oldest snapshot(s) "
			  "(%llu dropped in all)", (unsigned long long)(s->dropped - before),
			  (unsigned long long)s->dropped);
}

int spool_put(struct spool *s, const char *id, const char *body, size_t len)
{
	struct spool_entry e = { .seq = s->next_seq++, .size = len };
	snprintf(e.id, sizeof(e.id), "%s", id);
	enforce_bound(s, len);
	int rc = 0;
	if (write_file(s, &e, body, len) != 0) {
		s->write_failures++;
		if (s->last_errno != errno)
			log_warnx("ERROR: SPOOL WRITE FAILED in %s: %s; keeping snapshots in memory "
				  "(up to %u MiB) and collecting on", s->dir, strerror(errno),
				  SPOOL_MEM_MAX >> 20);
		s->last_errno = errno;
		if (s->mem_bytes + len > SPOOL_MEM_MAX || !(e.mem = malloc(len))) {
			s->dropped++;
			log_warnx("spool: snapshot %s dropped (disk refused it, memory bound reached)", id);
			return -1;
		}
		memcpy(e.mem, body, len);
		rc = 1;
	} else if (s->last_errno) {
		log_info("spool: writing to %s again", s->dir);
		s->last_errno = 0;
	}
	if (push(s, &e) != 0) {
		free(e.mem);
		s->dropped++;
		return -1;
	}
	return rc;
}

const struct spool_entry *spool_head(const struct spool *s)
{
	return s->n ? at(s, 0) : NULL;
}

int spool_read_head(struct spool *s, char **body, size_t *len)
{
	struct spool_entry *e = at(s, 0);
	char path[PATH_MAX + 64];
	char *buf = malloc(e->size ? e->size : 1);
	if (!buf)
		return -1;
	if (e->mem) {
		memcpy(buf, e->mem, e->size);
		*body = buf;
		*len = e->size;
		return 0;
	}
	entry_path(s, s->dir, e, path, sizeof(path));
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t off = 0;
	if (fd >= 0) {
		while (off < e->size) {
			ssize_t n = read(fd, buf + off, e->size - off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			off += (size_t)n;
		}
		close(fd);
	}
	if (fd < 0 || off != e->size) {
		log_warnx("spool: %s is gone or short; dropping it", path);
		free(buf);
		drop_at(s, 0);
		return -1;
	}
	*body = buf;
	*len = e->size;
	return 0;
}

void spool_pop_delivered(struct spool *s)
{
	struct spool_entry *e = at(s, 0);
	char path[PATH_MAX + 64];
	if (!e->mem) {
		entry_path(s, s->dir, e, path, sizeof(path));
		if (unlink(path) != 0 && errno != ENOENT)
			log_warn("spool: cannot remove %s", path);
	}
	remove_at(s, 0);
}

void spool_pop_dead(struct spool *s)
{
	struct spool_entry *e = at(s, 0);
	char from[PATH_MAX + 64], to[PATH_MAX + 64];
	entry_path(s, s->dead_dir, e, to, sizeof(to));
	if (e->mem) {
		int fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd >= 0) {
			if (write(fd, e->mem, e->size) != (ssize_t)e->size)
				log_warn("spool: cannot write %s", to);
			close(fd);
		}
	} else {
		entry_path(s, s->dir, e, from, sizeof(from));
		if (rename(from, to) != 0)
			log_warn("spool: cannot move %s to %s", from, s->dead_dir);
	}
	s->dead_lettered++;
	remove_at(s, 0);
}

size_t spool_depth(const struct spool *s)
{
	return s->n;
}
