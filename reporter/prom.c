#include "prom.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metricmap.h"
#include "text.h"

/* Label values are untrusted (device names, vendors, mount points): \\, " and
 * newline escaped, the three the format requires, and the text kept UTF-8
 * (a byte that is not becomes U+FFFD). The names reach us valid already
 * (names_observe, wire_get_str); this holds even if one did not. */
static void put_label_value(struct textbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	for (;;) {
		const unsigned char *run = p;
		while (*p && *p < 0x80 && *p != '\\' && *p != '"' && *p != '\n')
			p++;
		tb_put(b, (const char *)run, (size_t)(p - run));
		if (!*p)
			return;
		if (*p >= 0x80) {
			size_t n = text_utf8_seq(p);
			if (n)
				tb_put(b, (const char *)p, n);
			else
				TB_LIT(b, "\xef\xbf\xbd");
			p += n ? n : 1;
			continue;
		}
		if (*p == '\n')
			TB_LIT(b, "\\n");
		else {
			char esc[2] = { '\\', (char)*p };
			tb_put(b, esc, 2);
		}
		p++;
	}
}

/* A row's sample lines differ only in the values of its labels that come
 * from the data and in the value: the rest (name, label names, constant
 * labels such as direction="rx") is made once per row. seg_end[j] ends the
 * text before variable label var[j]'s value; seg_end[nvar] the tail. */
struct prom_ctx {
	struct textbuf *b;
	struct textbuf tmpl;
	size_t seg_end[METRIC_MAX_LABELS + 1];
	int var[METRIC_MAX_LABELS];
	size_t nvar;
};

static void row_template(struct prom_ctx *c, const struct metric_row *r)
{
	struct textbuf *t = &c->tmpl;
	tb_clear(t);
	tb_str(t, r->prom);
	c->nvar = 0;
	int n = 0;
	for (int i = 0; i < METRIC_MAX_LABELS; i++) {
		const struct metric_label *l = &r->labels[i];
		if (!l->prom)
			continue;
		tb_put(t, n++ ? "," : "{", 1);
		tb_str(t, l->prom);
		TB_LIT(t, "=\"");
		if (!l->prom_value) {
			c->seg_end[c->nvar] = t->len;
			c->var[c->nvar++] = i;
		} else {
			put_label_value(t, l->prom_value);
		}
		TB_LIT(t, "\"");
	}
	if (n)
		TB_LIT(t, "} ");
	else
		TB_LIT(t, " ");
	c->seg_end[c->nvar] = t->len;
}

static void put_sample(const struct metric_point *p, void *vctx)
{
	struct prom_ctx *c = vctx;
	struct textbuf *b = c->b;
	const char *t = c->tmpl.p;
	size_t at = 0;

	for (size_t j = 0; j < c->nvar; j++) {
		const struct metric_str *v = &p->label[c->var[j]];
		tb_put(b, t + at, c->seg_end[j] - at);
		at = c->seg_end[j];
		if (v->plain)
			tb_put(b, v->s, v->len);
		else if (v->s)
			put_label_value(b, v->s);
	}
	tb_put(b, t + at, c->seg_end[c->nvar] - at);
	/* integers stay exact (a double loses counters above 2^53) */
	if (p->exact)
		tb_i64(b, p->i);
	else
		tb_double(b, p->d);
	TB_LIT(b, "\n");
}

static const char *prom_type(enum metric_kind k)
{
	return k == METRIC_COUNTER ? "counter" : "gauge";
}

bool prom_render_buf(struct textbuf *b, const struct metric_source *src)
{
	const char *family = NULL;
	struct prom_ctx c = { .b = b };
	for (size_t i = 0; i < metric_rows_n; i++) {
		const struct metric_row *r = &metric_rows[i];
		if (!r->prom)
			continue;
		/* rows of one family are adjacent: one HELP/TYPE for them all */
		if (!family || strcmp(family, r->prom) != 0) {
			TB_LIT(b, "# HELP ");
			tb_str(b, r->prom);
			TB_LIT(b, " ");
			tb_str(b, r->help);
			TB_LIT(b, "\n# TYPE ");
			tb_str(b, r->prom);
			TB_LIT(b, " ");
			tb_str(b, prom_type(r->kind));
			TB_LIT(b, "\n");
		}
		family = r->prom;
		row_template(&c, r);
		metric_points(r, src, false, put_sample, &c);
	}
	bool ok = !b->failed && !c.tmpl.failed;
	tb_free(&c.tmpl);
	return ok;
}

char *prom_render(const json_t *snap, size_t *len)
{
	struct metric_devices devs = { 0 };
	struct textbuf b = { 0 };
	const struct metric_source src = { snap, &devs };
	bool ok = metric_devices_from_json(&devs, snap) == 0 && prom_render_buf(&b, &src);
	metric_devices_free(&devs);
	tb_put(&b, "", 1);
	if (!ok || b.failed) {
		tb_free(&b);
		return NULL;
	}
	*len = b.len - 1;
	return b.p;
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
