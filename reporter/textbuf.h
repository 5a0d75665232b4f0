/*
 * A growable text buffer for what the reporter writes every cycle with a
 * thousand devices in it (the payload's device list, the prometheus: text,
 * the otlp: body): appends with no per-item allocation, one realloc when it
 * grows, reusable across cycles (len = 0). An allocation failure is sticky
 * (`failed`): callers append freely and check once at the end.
 */
#ifndef NETMON_REPORTER_TEXTBUF_H
#define NETMON_REPORTER_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct textbuf {
	char *p;
	size_t len, cap;
	bool failed;
};

/* Room for `more` bytes beyond len (growing by doubling), or failed set. */
void tb_grow(struct textbuf *b, size_t more);

static inline void tb_reserve(struct textbuf *b, size_t more)
{
	if (b->len + more > b->cap)
		tb_grow(b, more);
}

static inline void tb_put(struct textbuf *b, const char *s, size_t n)
{
	tb_reserve(b, n);
	if (b->failed)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

#define TB_LIT(b, s) tb_put((b), (s), sizeof(s) - 1)

static inline void tb_str(struct textbuf *b, const char *s)
{
	tb_put(b, s, strlen(s));
}

/* Decimal digits of v: the one integer formatter of the reporter's text. */
void tb_u64(struct textbuf *b, uint64_t v);
void tb_i64(struct textbuf *b, int64_t v);
/* A double as "%.17g" (round-trips); v must be finite. */
void tb_double(struct textbuf *b, double v);
/* A JSON string literal of s: quote, backslash and every control byte
 * escaped, UTF-8 copied, and a byte that is not UTF-8 (never expected: names
 * come through wire_get_str, names_observe or jansson) written as U+FFFD, so
 * the text stays JSON whatever s holds. */
void tb_json_str(struct textbuf *b, const char *s);
/* The same without the quotes around it. */
void tb_json_body(struct textbuf *b, const char *s);
/* s copied with the ASCII bytes `special` marks given to `escape`, valid
 * UTF-8 kept and any other byte >= 0x80 written as U+FFFD. special[0] and
 * special[0x80..0xff] must be set (the end, and the bytes to check). The one
 * loop under every escaper of untrusted text (JSON strings, Prometheus label
 * values). */
void tb_escaped(struct textbuf *b, const char *s, const bool special[256],
		void (*escape)(struct textbuf *b, unsigned char c));

/* Empty it for the next cycle, keeping the memory. */
static inline void tb_clear(struct textbuf *b)
{
	b->len = 0;
	b->failed = false;
}
void tb_free(struct textbuf *b);

#endif
