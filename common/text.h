/*
 * Text from outside (config values, names on the wire, file names in
 * messages): strict UTF-8 checks shared by every parser that accepts a string,
 * and the one-line quoting that config errors and every log line use.
 */
#ifndef NETMON_TEXT_H
#define NETMON_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the valid UTF-8 sequence at p (1..4), 0 if there is none. Strict:
 * no overlong forms, no surrogates, nothing above U+10FFFF. Reads at most up
 * to the first byte that is not a continuation byte (so a NUL stops it). */
size_t text_utf8_seq(const unsigned char *p);
/* A NUL-terminated string that is valid UTF-8. */
bool text_utf8_valid(const char *s);
/* n bytes that are valid UTF-8 with no control character (C0, DEL) and no
 * NUL: safe to print, log and put in JSON as they are. */
bool text_clean(const void *p, size_t n);

/* Copy s into dst for a one-line message: control bytes and bytes that are
 * not UTF-8 become \xNN (a file name may hold a newline, a value stray
 * Latin-1, a peer an escape sequence), and anything past `max` input bytes
 * (or what does not fit dst) becomes "...". dst is always terminated
 * (dstlen > 0). */
void text_quote_safe(char *dst, size_t dstlen, const char *s, size_t max);

#endif
