/*
 * Names from multicast DNS responses (RFC 6762), UDP port 5353: who a device
 * says it is. From one response:
 *   - the owner names of A/AAAA records under .local, without ".local"
 *     ("host.local" -> "host"), each with the address it claims;
 *   - the model from a `_device-info._tcp.local` TXT record ("model=...");
 *   - HINFO (CPU and OS strings) where a responder publishes it.
 * Everything is untrusted: names pass name_clean() or are dropped (counted in
 * `refused`). Of several models or HINFOs in one message the first clean one
 * is kept. A malformed record stops the parse, keeping what came before
 * it (a truncated capture still names the host).
 */
#ifndef ARPD_MDNS_H
#define ARPD_MDNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "name.h"

#define MDNS_PORT 5353
#define MDNS_HOSTS_MAX 8            /* A/AAAA names kept per message */

/* An IPv4 (family 4, a[0..3]) or IPv6 (family 6) address. */
struct mdns_addr {
	uint8_t family;
	uint8_t a[16];
};

struct mdns_host {
	char name[NAME_LABEL_MAX + 1];  /* "host" from "host.local" */
	struct mdns_addr addr;          /* the A/AAAA record's address */
	bool is_source;                 /* addr is the packet's source address */
};

struct mdns_info {
	size_t nhosts;
	struct mdns_host hosts[MDNS_HOSTS_MAX];
	char model[NAME_MODEL_MAX + 1];     /* _device-info TXT model=, "" if none */
	char hinfo_cpu[NAME_MODEL_MAX + 1]; /* HINFO, "" if none */
	char hinfo_os[NAME_MODEL_MAX + 1];
	unsigned refused;               /* names or strings refused by name_clean */
	unsigned dropped;               /* host names beyond MDNS_HOSTS_MAX */
};

enum {
	MDNS_ENOTRESPONSE = -20,        /* a query, or opcode/rcode not 0 */
};

/*
 * Parse one mDNS message (the UDP payload) sent from `src` (NULL: unknown).
 * Returns DNS_OK when the whole message was read, MDNS_ENOTRESPONSE (out
 * empty), or the dns_err that stopped the reader (out holds what came before).
 */
int mdns_parse(const uint8_t *msg, size_t len, const struct mdns_addr *src,
	       struct mdns_info *out);

#endif
