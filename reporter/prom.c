#include "prom.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "metricmap.h"
#include "text.h"

/* Label values are untrusted (device names, vendors, mount points): \\, " and
 * newline escaped, the three the format requires, and the text kept UTF-8
 * (a byte that is not becomes U+FFFD). The names reach us valid already
 * (names_observe, wire_get_str); this holds even if one did not. */
static void label_escape(struct textbuf *b, unsigned char c)
{
	if (c == '\n') {
		TB_LIT(b, "\\n");
	} else {
		char esc[2] = { '\\', (char)c };
		tb_put(b, esc, 2);
	}
}

static void put_label_value(struct textbuf *b, const char *s)
{
	/* the end, the three escaped bytes, and >= 0x80 to check */
	static const bool special[256] = { [0] = 1, ['\\'] = 1, ['"'] = 1, ['\n'] = 1,
					   [0x80 ... 0xff] = 1 };
	tb_escaped(b, s, special, label_escape);
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
	/* The device rows share their labels (ip, mac, name, vendor): each
	 * device's block of them, from the first value to the last, is written
	 * at its first row and copied by the next rows whose text between the
	 * values is the same (sig). */
	bool cached;                /* this row uses the blocks */
	struct textbuf sig, blocks;
	size_t *blk_off;            /* per device: where its block starts in blocks */
	uint32_t *blk_len;          /* 0: not made yet */
	size_t ndev;
};

/* Whether row r (its template just made) can use the device blocks; starts
 * them over for a row whose labels differ from the previous rows'. */
static void row_blocks(struct prom_ctx *c, const struct metric_row *r, const struct metric_source *src)
{
	c->cached = false;
	if (!r->each || strcmp(r->each, METRIC_DEVICES) != 0 || c->nvar < 2 || !src->devices ||
	    src->devices->n == 0)
		return;
	if (!c->blk_off || c->ndev != src->devices->n) {
		free(c->blk_off);
		free(c->blk_len);
		c->ndev = src->devices->n;
		c->blk_off = malloc(c->ndev * sizeof(*c->blk_off));
		c->blk_len = calloc(c->ndev, sizeof(*c->blk_len));
		tb_clear(&c->sig);
		if (!c->blk_off || !c->blk_len)
			return;         /* no cache: every row writes its labels */
	}
	/* the block is the values of these fields with this text between them */
	char sig[512];
	size_t n = 0;
	for (size_t j = 0; j < c->nvar; j++) {
		const char *path = r->labels[c->var[j]].path;
		size_t k = path ? strlen(path) + 1 : 1;
		if (n + k > sizeof(sig))
			return;
		memcpy(sig + n, path ? path : "", k);
		n += k;
	}
	size_t inner_len = c->seg_end[c->nvar - 1] - c->seg_end[0];
	if (n + inner_len > sizeof(sig))
		return;
	memcpy(sig + n, c->tmpl.p + c->seg_end[0], inner_len);
	n += inner_len;
	if (c->sig.len != n || memcmp(c->sig.p, sig, n) != 0) {
		tb_clear(&c->sig);
		tb_put(&c->sig, sig, n);
		tb_clear(&c->blocks);
		memset(c->blk_len, 0, c->ndev * sizeof(*c->blk_len));
		if (c->sig.failed)
			return;
	}
	c->cached = true;
}

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

	if (c->cached && p->dev < c->ndev && c->blk_len[p->dev]) {
		tb_put(b, t, c->seg_end[0]);
		tb_put(b, c->blocks.p + c->blk_off[p->dev], c->blk_len[p->dev]);
		at = c->seg_end[c->nvar - 1];
		goto tail;
	}
	size_t block = 0;
	for (size_t j = 0; j < c->nvar; j++) {
		if (j == 0)
			block = b->len + c->seg_end[0];
		const struct metric_str *v = &p->label[c->var[j]];
		tb_put(b, t + at, c->seg_end[j] - at);
		at = c->seg_end[j];
		if (v->plain)
			tb_put(b, v->s, v->len);
		else if (v->s)
			put_label_value(b, v->s);
	}
	if (c->cached && p->dev < c->ndev && !b->failed && b->len - block <= UINT32_MAX) {
		c->blk_off[p->dev] = c->blocks.len;
		c->blk_len[p->dev] = (uint32_t)(b->len - block);
		tb_put(&c->blocks, b->p + block, b->len - block);
		if (c->blocks.failed) {
			c->cached = false;
			c->blk_len[p->dev] = 0;
		}
	}
tail:
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
		row_blocks(&c, r, src);
		metric_points(r, src, false, put_sample, &c);
	}
	bool ok = !b->failed && !c.tmpl.failed;
	tb_free(&c.tmpl);
	tb_free(&c.sig);
	tb_free(&c.blocks);
	free(c.blk_off);
	free(c.blk_len);
	return ok;
}

char *prom_render(const json_t *snap, size_t *len)
{
	return metric_render_json(snap, len, prom_render_buf);
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
