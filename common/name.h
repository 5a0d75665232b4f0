/*
 * Names that devices announce about themselves (DHCP, mDNS, NetBIOS) and that
 * resolvers return: untrusted text. One gate for all of them, so every name
 * that reaches a record or a payload obeys the same rules (docs/names.md):
 * valid UTF-8 (common/text.h), no control character, no NUL, bounded length.
 * A name that breaks a rule is refused whole, never repaired or truncated:
 * half a name is a wrong name. Names are only ever used as strings.
 * Also: the name sources and their configurable order.
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

/* What a device says about itself beside its names (docs/names.md): DHCP
 * option 60 and option 55 as a fingerprint, the mDNS `_device-info` model
 * and HINFO. The same untrusted text as names, with these bounds. */
#define NAME_VENDOR_CLASS_MAX NAME_TEXT_MAX    /* DHCP option 60 */
#define NAME_FINGERPRINT_MAX NAME_TEXT_MAX     /* DHCP option 55 as "1,3,6,15" */
#define NAME_MODEL_MAX NAME_LABEL_MAX          /* mDNS model=, HINFO cpu and os */

/*
 * A DHCP parameter request list fingerprint as fingerbank writes it: decimal
 * option codes 0..255 in request order, no leading zeros, one comma between
 * them, 1..NAME_FINGERPRINT_MAX bytes ("1,3,6,15,119,252"). Checked wherever
 * one arrives from another process.
 */
bool name_fingerprint_ok(const char *s, size_t n);

/* Those attributes of one device; "" = never said. arpd keeps them per
 * device, ARP_DEVICES carries them, the reporter keeps them per MAC. */
struct device_about {
	char vendor_class[NAME_VENDOR_CLASS_MAX + 1];   /* DHCP option 60 */
	char fingerprint[NAME_FINGERPRINT_MAX + 1];     /* DHCP option 55 */
	char model[NAME_MODEL_MAX + 1];                 /* mDNS _device-info model= */
	char hinfo_cpu[NAME_MODEL_MAX + 1];             /* mDNS HINFO */
	char hinfo_os[NAME_MODEL_MAX + 1];
};

/* No field set. */
bool about_empty(const struct device_about *a);
/* Every field within its bound (NUL-terminated in its buffer), clean text
 * (text_clean), the fingerprint well formed: what may be stored or sent. */
bool about_ok(const struct device_about *a);
/* Every non-empty field of `in` replaces the one in `have` (one message may
 * carry only some of them; the newest value of each wins). `in` must be
 * about_ok. Returns the number of fields that changed. */
int about_merge(struct device_about *have, const struct device_about *in);

/* Where a device's name came from (docs/names.md). The order of sources is
 * configuration (`[reporter] name_sources`), so it is parsed here, in
 * common/, where config.c can reach it. */
enum name_source {
	NAME_SRC_DNS = 0,           /* reverse DNS (PTR), in the reporter */
	NAME_SRC_DHCP,              /* DHCP option 12 host name, from arpd */
	NAME_SRC_MDNS,              /* mDNS A/AAAA owner name without .local, from arpd */
	NAME_SRC_NETBIOS,           /* NetBIOS workstation/server name, from arpd */
	NAME_SRC_COUNT,
	NAME_SRC_NONE = NAME_SRC_COUNT,
};

#define NAMES_ORDER_DEFAULT "dns, dhcp, mdns, netbios"
#define NAMES_ORDER_TEXT_MAX 64     /* "dns, dhcp, mdns, netbios" and NUL fit */

/* The priority list of `[reporter] name_sources`. */
struct names_order {
	unsigned n;
	enum name_source src[NAME_SRC_COUNT];
};

/* "dns", "dhcp", "mdns", "netbios" (the payload's nameSource values); "" for
 * NAME_SRC_NONE. */
const char *names_source_name(enum name_source s);
/* Longest name a source accepts: NAME_TEXT_MAX for dns, NAME_LABEL_MAX else. */
size_t names_source_max(enum name_source s);

void names_order_default(struct names_order *o);
/*
 * Parse a comma-separated list of sources ("dns, dhcp, mdns, netbios"; spaces
 * around items allowed; a subset in any order). Unknown, repeated and empty
 * items and an empty list are errors: -1 with one line in err naming the bad
 * item, *o unchanged. 0 on success.
 */
int names_order_parse(const char *text, struct names_order *o, char *err, size_t errlen);
/* The list in the syntax names_order_parse() reads back (for --check-config). */
void names_order_format(const struct names_order *o, char *out, size_t outsz);

#endif
