#include "prom.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metricmap.h"

/* Label values are untrusted (device names): escape \\, " and newline, the
 * three the format requires. jansson strings are valid UTF-8 already. */
static void put_label_value(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': fputs("\\\\", f); break;
		case '"': fputs("\\\"", f); break;
		case '\n': fputs("\\n", f); break;
		default: fputc(*s, f);
		}
	}
}

struct prom_ctx {
	FILE *f;
	const struct metric_row *row;
};

static void put_sample(const json_t *elem, const char *key, void *vctx)
{
	struct prom_ctx *c = vctx;
	const struct metric_row *r = c->row;
	const json_t *raw;
	double d;
	int n = 0;

	if (!metric_sample(r, elem, &d, &raw))
		return;
	fputs(r->prom, c->f);
	for (int i = 0; i < METRIC_MAX_LABELS; i++) {
		const struct metric_label *l = &r->labels[i];
		if (!l->prom)
			continue;
		fprintf(c->f, "%c%s=\"", n++ ? ',' : '{', l->prom);
		put_label_value(c->f, metric_label_value(l, elem, key, false));
		fputc('"', c->f);
	}
	fputs(n ? "} " : " ", c->f);
	/* integers stay exact (a double loses counters above 2^53) */
	if (raw)
		fprintf(c->f, "%lld\n", (long long)json_integer_value(raw));
	else
		fprintf(c->f, "%.17g\n", d);
}

static const char *prom_type(enum metric_kind k)
{
	return k == METRIC_COUNTER ? "counter" : "gauge";
}

char *prom_render(const json_t *snap, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	const char *family = NULL;
	for (size_t i = 0; i < metric_rows_n; i++) {
		const struct metric_row *r = &metric_rows[i];
		if (!r->prom)
			continue;
		/* rows of one family are adjacent: one HELP/TYPE for them all */
		if (!family || strcmp(family, r->prom) != 0)
			fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", r->prom, r->help, r->prom,
				prom_type(r->kind));
		family = r->prom;
		struct prom_ctx c = { f, r };
		metric_foreach(r, snap, put_sample, &c);
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int prom_write_file(const char *path, const char *text, size_t len)
{
	char tmp[PATH_MAX];
	int n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
	return -1;
}
