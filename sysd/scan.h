/*
 * Text scanning over untrusted bytes (/proc and /sys files), on top of the
 * bounds-checked cursor: every function fails (and consumes nothing useful)
 * rather than read past the input or return a wrong number. A number that
 * does not fit in 64 bits is an error, never a wrapped value.
 */
#ifndef NETMON_SYSD_SCAN_H
#define NETMON_SYSD_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

/* Split off the next line (without its '\n'). A last line that does not end
 * in '\n' was cut short: it is not returned (the kernel ends every line). */
bool scan_line(struct cursor *c, struct cursor *line);
/* Skip spaces and tabs; true when something is left. */
bool scan_blank(struct cursor *c);
/* After optional blanks, a decimal u64 (at least one digit; overflow fails).
 * The number must end at a blank, a ':' or the end of the cursor. */
bool scan_u64(struct cursor *c, uint64_t *v);
/* After optional blanks, a word: bytes up to a blank or the end. */
bool scan_word(struct cursor *c, const uint8_t **w, size_t *n);
/* True when the next bytes are exactly `lit` (consumed). */
bool scan_lit(struct cursor *c, const char *lit);
/* "12.34" (load averages): a non-negative decimal with an optional fraction. */
bool scan_decimal(struct cursor *c, double *v);

#endif
