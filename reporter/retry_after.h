/*
 * The one header of an API response the reporter reads: Retry-After
 * (RFC 9110 §10.2.3), either delay-seconds or an HTTP-date in any of the
 * three forms a recipient must accept (IMF-fixdate, RFC 850, asctime).
 * The value is untrusted: parsed with the bounds-checked cursor, anything
 * else is refused, and the delay is capped.
 */
#ifndef NETMON_REPORTER_RETRY_AFTER_H
#define NETMON_REPORTER_RETRY_AFTER_H

#include <stddef.h>
#include <stdint.h>

#define RETRY_AFTER_MAX_S 3600u   /* never wait longer than this on a server's word */
#define RETRY_AFTER_MAX_LEN 128   /* longer header values are refused */

/* Parse `len` bytes of a Retry-After value (surrounding blanks allowed).
 * now_s is the wall clock in seconds, for dates. On success *delay_s is the
 * wait in seconds (a date in the past gives 0), capped at RETRY_AFTER_MAX_S,
 * and 0 is returned; -1 for anything malformed. */
int retry_after_parse(const char *value, size_t len, int64_t now_s, uint32_t *delay_s);

#endif
