#include "text.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

size_t text_utf8_seq(const unsigned char *p)
{
	size_t n;
	uint32_t cp, min;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2; cp = p[0] & 0x1fu; min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3; cp = p[0] & 0x0fu; min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4; cp = p[0] & 0x07u; min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)   /* also stops at the terminating NUL */
			return 0;
		cp = cp << 6 | (p[i] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

bool text_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = text_utf8_seq(p);
		if (n == 0)
			return false;
		p += n;
	}
	return true;
}

bool text_clean(const void *buf, size_t n)
{
	const unsigned char *p = buf;
	size_t i = 0;

	while (i < n) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			return false;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		/* a multi-byte sequence must end inside the buffer: text_utf8_seq
		 * stops at the first non-continuation byte, so check the lead's
		 * promised length before reading */
		size_t want = (p[i] & 0xe0) == 0xc0 ? 2 : (p[i] & 0xf0) == 0xe0 ? 3 :
			      (p[i] & 0xf8) == 0xf0 ? 4 : 0;
		if (want == 0 || want > n - i || text_utf8_seq(p + i) != want)
			return false;
		i += want;
	}
	return true;
}

/*
 * Copy s for quoting in a one-line message: control bytes and bytes that are
 * not UTF-8 become \xNN (a file name may hold a newline, a value stray
 * Latin-1), and anything past `max` input bytes becomes "...".
 */
void text_quote_safe(char *dst, size_t dstlen, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0;

	if (dstlen == 0)
		return;
	while (p[i] != '\0' && i < max) {
		size_t n = text_utf8_seq(p + i);
		if (n == 1 && (p[i] < 0x20 || p[i] == 0x7f))
			n = 0;
		if (n == 0) {
			if (o + 5 >= dstlen)
				break;
			snprintf(dst + o, dstlen - o, "\\x%02x", p[i]);
			o += 4;
			i++;
			continue;
		}
		if (o + n >= dstlen)
			break;
		memcpy(dst + o, p + i, n);
		o += n;
		i += n;
	}
	if (p[i] != '\0' && o + 3 < dstlen) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
}

