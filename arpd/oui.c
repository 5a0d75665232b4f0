#include "oui.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cursor.h"
#include "io.h"
#include "text.h"

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* One CSV field (RFC 4180 quoting) of the line in `c`, into out (cut at
 * cap-1 bytes). Consumes the separating comma. */
static void csv_field(struct cursor *c, char *out, size_t cap, size_t *outlen)
{
	size_t n = 0;
	uint8_t ch;
	bool quoted = cur_peek_u8(c, 0, &ch) && ch == '"';
	if (quoted)
		cur_skip(c, 1);
	while (cur_u8(c, &ch)) {
		if (quoted && ch == '"') {
			uint8_t next;
			if (cur_peek_u8(c, 0, &next) && next == '"') {
				cur_skip(c, 1);
			} else {
				quoted = false;
				continue;
			}
		} else if (!quoted && ch == ',') {
			break;
		}
		if (n + 1 < cap)
			out[n++] = (char)ch;
	}
	out[n] = '\0';
	*outlen = n;
}

/* Keep printable text: control bytes out, trailing blanks out, cut on a
 * UTF-8 character boundary, invalid UTF-8 replaced by '?' (s is NUL
 * terminated at n; common/text.c decides what valid UTF-8 is). */
static size_t clean_name(char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n;) {
		size_t len = text_utf8_seq((const unsigned char *)s + i);
		if (len == 0 || i + len > n) {
			if (w + 1 > OUI_NAME_MAX)
				break;
			s[w++] = '?';
			i++;
			continue;
		}
		if (w + len > OUI_NAME_MAX)
			break;
		unsigned char c = (unsigned char)s[i];
		if (len == 1 && (c < 0x20 || c == 0x7f)) {
			i++;
			continue;
		}
		memmove(s + w, s + i, len);
		w += len;
		i += len;
	}
	while (w > 0 && s[w - 1] == ' ')
		w--;
	s[w] = '\0';
	return w;
}

static int cmp_entry(const void *a, const void *b)
{
	uint32_t x = ((const struct oui_entry *)a)->prefix, y = ((const struct oui_entry *)b)->prefix;
	return x < y ? -1 : x > y;
}

int oui_parse(struct oui_table *t, const char *buf, size_t len)
{
	memset(t, 0, sizeof(*t));
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	t->v = calloc(lines, sizeof(*t->v));
	t->pool = malloc(lines * (OUI_NAME_MAX + 1));
	if (!t->v || !t->pool) {
		oui_free(t);
		return -1;
	}
	struct cursor all;
	cur_init(&all, buf, len);
	while (all.left > 0) {
		size_t n = 0;
		while (n < all.left && all.p[n] != '\n')
			n++;
		struct cursor line;
		cur_sub(&all, n, &line);
		cur_skip(&all, 1);
		char reg[8], hex[16], name[256];
		size_t rl, hl, nl;
		csv_field(&line, reg, sizeof(reg), &rl);
		csv_field(&line, hex, sizeof(hex), &hl);
		csv_field(&line, name, sizeof(name), &nl);
		if (strcmp(reg, "MA-L") != 0 || hl != 6) {
			t->skipped++;
			continue;
		}
		uint32_t prefix = 0;
		bool ok = true;
		for (int i = 0; i < 6; i++) {
			int v = hexval((uint8_t)hex[i]);
			ok = ok && v >= 0;
			prefix = prefix << 4 | (uint32_t)(v < 0 ? 0 : v);
		}
		nl = clean_name(name, nl);
		if (!ok || nl == 0) {
			t->skipped++;
			continue;
		}
		t->v[t->n].prefix = prefix;
		t->v[t->n].name_off = (uint32_t)t->pool_len;
		memcpy(t->pool + t->pool_len, name, nl + 1);
		t->pool_len += nl + 1;
		t->n++;
	}
	qsort(t->v, t->n, sizeof(*t->v), cmp_entry);
	/* a prefix listed twice keeps one name */
	size_t m = 0;
	for (size_t i = 0; i < t->n; i++)
		if (m == 0 || t->v[m - 1].prefix != t->v[i].prefix)
			t->v[m++] = t->v[i];
	t->n = m;
	char *fit = realloc(t->pool, t->pool_len ? t->pool_len : 1);   /* give back the slack */
	if (fit)
		t->pool = fit;
	return 0;
}

int oui_load(struct oui_table *t, const char *path, char *err, size_t errlen)
{
	memset(t, 0, sizeof(*t));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > (off_t)OUI_FILE_MAX) {
		snprintf(err, errlen, "%s: not a regular file of at most %u bytes", path, OUI_FILE_MAX);
		close(fd);
		return -1;
	}
	char *buf = malloc((size_t)sb.st_size + 1);
	ssize_t got = buf ? read_full(fd, buf, (size_t)sb.st_size) : -1;
	close(fd);
	if (got < 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		free(buf);
		return -1;
	}
	int rc = oui_parse(t, buf, (size_t)got);
	free(buf);
	if (rc != 0)
		snprintf(err, errlen, "%s: out of memory", path);
	return rc;
}

const char *oui_lookup(const struct oui_table *t, const uint8_t mac[6])
{
	uint32_t key = (uint32_t)mac[0] << 16 | (uint32_t)mac[1] << 8 | mac[2];
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->v[mid].prefix == key)
			return t->pool + t->v[mid].name_off;
		if (t->v[mid].prefix < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void oui_free(struct oui_table *t)
{
	free(t->v);
	free(t->pool);
	memset(t, 0, sizeof(*t));
}
