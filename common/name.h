/*
 * Names that devices announce about themselves (DHCP, mDNS, NetBIOS) and that
 * resolvers return: untrusted text. One gate for all of them, so every name
 * that reaches a record or a payload obeys the same rules (docs/names.md):
 * valid UTF-8 (common/text.h), no control character, no NUL, bounded length.
 * A name that breaks a rule is refused whole, never repaired or truncated:
 * half a name is a wrong name. Names are only ever used as strings.
 */
#ifndef NETMON_NAME_H
#define NETMON_NAME_H

#include <stdbool.h>
#include <stddef.h>

#define NAME_LABEL_MAX 63      /* a host label (RFC 1035 §2.3.4): DHCP option 12, mDNS host */
#define NAME_TEXT_MAX 255      /* a whole dotted name: reverse DNS, DHCP option 81 */

/*
 * Copy the n untrusted bytes at `in` to `out` (NUL-terminated) when they make
 * a usable name, after dropping trailing NUL bytes (clients that send C
 * strings) and leading/trailing spaces (NetBIOS pads with them). What is left
 * must be 1..max bytes and pass text_clean(). `outsz` must exceed `max`.
 * Returns true with the name in out; false with out = "" otherwise.
 */
bool name_clean(char *out, size_t outsz, const void *in, size_t n, size_t max);

#endif
