#include "textbuf.h"

#include <stdio.h>
#include <stdlib.h>

#include "text.h"

void tb_grow(struct textbuf *b, size_t more)
{
	if (b->failed || b->len + more <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more)
		cap *= 2;
	char *n = realloc(b->p, cap);
	if (!n) {
		b->failed = true;
		return;
	}
	b->p = n;
	b->cap = cap;
}

void tb_u64(struct textbuf *b, uint64_t v)
{
	/* two digits per division: counters are written by the thousand each cycle */
	static const char pairs[201] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	char tmp[20];
	size_t n = sizeof(tmp);
	while (v >= 100) {
		unsigned d = (unsigned)(v % 100) * 2;
		v /= 100;
		tmp[--n] = pairs[d + 1];
		tmp[--n] = pairs[d];
	}
	if (v >= 10) {
		tmp[--n] = pairs[v * 2 + 1];
		tmp[--n] = pairs[v * 2];
	} else {
		tmp[--n] = (char)('0' + v);
	}
	tb_put(b, tmp + n, sizeof(tmp) - n);
}

void tb_i64(struct textbuf *b, int64_t v)
{
	if (v < 0) {
		TB_LIT(b, "-");
		tb_u64(b, 0 - (uint64_t)v);
	} else {
		tb_u64(b, (uint64_t)v);
	}
}

void tb_double(struct textbuf *b, double v)
{
	/* a whole number below 2^53 is what %.17g prints as it is, and cheaper
	 * (the 0/1 of the status gauges, scaled link speeds) */
	if (v > -9007199254740992.0 && v < 9007199254740992.0 && v == (double)(int64_t)v) {
		tb_i64(b, (int64_t)v);
		return;
	}
	char t[32];
	int n = snprintf(t, sizeof(t), "%.17g", v);
	if (n > 0 && (size_t)n < sizeof(t))
		tb_put(b, t, (size_t)n);
}

/* Bytes a JSON string cannot hold as they are (control bytes, quote,
 * backslash), and the bytes >= 0x80 that start a sequence to check. */
#define HI8 [0x80 ... 0xff] = 1
static const bool json_escaped[256] = {
	HI8,
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
	[0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1,
	[0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
	[0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1,
	[0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, ['"'] = 1, ['\\'] = 1,
};

void tb_escaped(struct textbuf *b, const char *s, const bool special[256],
		void (*escape)(struct textbuf *b, unsigned char c))
{
	const unsigned char *p = (const unsigned char *)s;
	for (;;) {
		/* copy the run that needs no escaping in one go */
		const unsigned char *run = p;
		while (!special[*p])
			p++;
		tb_put(b, (const char *)run, (size_t)(p - run));
		if (!*p)
			return;
		if (*p >= 0x80) {
			/* UTF-8 as it is; a byte that is not becomes U+FFFD */
			size_t n = text_utf8_seq(p);
			if (n)
				tb_put(b, (const char *)p, n);
			else
				TB_LIT(b, "\xef\xbf\xbd");
			p += n ? n : 1;
			continue;
		}
		escape(b, *p++);
	}
}

static void json_escape(struct textbuf *b, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	if (c == '"' || c == '\\') {
		char esc[2] = { '\\', (char)c };
		tb_put(b, esc, 2);
	} else {
		char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
		tb_put(b, esc, 6);
	}
}

void tb_json_body(struct textbuf *b, const char *s)
{
	tb_escaped(b, s, json_escaped, json_escape);
}

void tb_json_str(struct textbuf *b, const char *s)
{
	TB_LIT(b, "\"");
	tb_json_body(b, s);
	TB_LIT(b, "\"");
}

void tb_free(struct textbuf *b)
{
	free(b->p);
	*b = (struct textbuf){ 0 };
}
