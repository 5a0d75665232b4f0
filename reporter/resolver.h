/*
 * Reverse DNS for the devices arpd knows, inside the reporter's one event
 * loop, never in the way of a snapshot (docs/names.md):
 *
 *   - c-ares (Debian libc-ares-dev) does the lookups: its channel reads
 *     /etc/resolv.conf once, when it is opened, before the reporter is
 *     confined; its sockets are non-blocking and join the loop's poll set
 *     (resolver_pollfds / resolver_timeout_ms / resolver_process);
 *   - one PTR query per address (the newest IPv4 address of each MAC, else
 *     its first global IPv6 one), at most RESOLVER_INFLIGHT_MAX in flight,
 *     each with a timeout (RESOLVER_TIMEOUT_MS per try, RESOLVER_TRIES tries);
 *   - answers are read with common/dnsmsg.c (not trusted to c-ares's
 *     parser), cleaned by name_clean(), and cached per address with their
 *     TTL clamped to [RDNS_TTL_MIN_S, RDNS_TTL_MAX_S]; NXDOMAIN / no PTR is
 *     cached as a negative answer for RDNS_NEG_TTL_S, a failure (timeout,
 *     SERVFAIL, refused) for RDNS_FAIL_TTL_S; the cache holds at most
 *     RDNS_CACHE_MAX addresses (the soonest to expire leaves first);
 *   - the names land in the arpview's names book (source dns) by MAC: a
 *     device's dns names are replaced when its address's answer changes and
 *     forgotten on a negative answer.
 * The snapshot only reads the book: a slow or dead resolver leaves names ""
 * and costs the cycle nothing.
 */
#ifndef NETMON_REPORTER_RESOLVER_H
#define NETMON_REPORTER_RESOLVER_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "name.h"

#define RESOLVER_INFLIGHT_MAX 16
#define RESOLVER_TIMEOUT_MS 2000
#define RESOLVER_TRIES 2
#define RESOLVER_MAX_FDS 16             /* ARES_GETSOCK_MAXNUM */
#define RDNS_CACHE_MAX 16384
#define RDNS_TTL_MIN_S 300              /* a PTR answer is kept at least 5 min */
#define RDNS_TTL_MAX_S 86400            /* and at most a day */
#define RDNS_NEG_TTL_S 600              /* NXDOMAIN / no PTR record */
#define RDNS_FAIL_TTL_S 60              /* timeout, SERVFAIL, refused: retried sooner */

/* ---- the cache (pure: no I/O, caller's clock in ns) --------------------- */

enum rdns_state { RDNS_PENDING = 1, RDNS_NAME, RDNS_NONE, RDNS_FAILED };

struct rdns_entry {
	uint8_t family;                 /* 4 or 6 */
	uint8_t addr[16];               /* IPv4 in [0..3] */
	uint8_t state;                  /* enum rdns_state */
	uint64_t expires_ns;            /* PENDING: never (UINT64_MAX) */
	char name[NAME_TEXT_MAX + 1];   /* RDNS_NAME only */
};

struct rdns_cache {
	struct rdns_entry *e;           /* sorted by (family, addr) */
	size_t n, cap;
	uint64_t evictions;
};

int rdns_cache_init(struct rdns_cache *c, size_t cap);
void rdns_cache_free(struct rdns_cache *c);
/* The entry of an address, expired or not, or NULL. */
const struct rdns_entry *rdns_cache_find(const struct rdns_cache *c, int family,
					 const uint8_t *addr);
/* Does the address need a lookup now (unknown, or expired and not pending)? */
bool rdns_cache_due(const struct rdns_cache *c, int family, const uint8_t *addr, uint64_t now);
/* Record a state for an address: RDNS_PENDING (a query left), RDNS_NAME with
 * `name` and the record's ttl_s (clamped), RDNS_NONE / RDNS_FAILED (their
 * fixed lifetimes). When full, the entry that expires first leaves (never a
 * pending one). Returns false when it could not be stored. */
bool rdns_cache_put(struct rdns_cache *c, int family, const uint8_t *addr, enum rdns_state st,
		    const char *name, uint32_t ttl_s, uint64_t now);

/* "7.0.18.198.in-addr.arpa" / nibble form under ip6.arpa; false if out is short. */
bool rdns_query_name(int family, const uint8_t *addr, char *out, size_t outsz);

/* Read the DNS answer to a PTR query (c-ares matched it to the question): the first PTR record of the
 * answer section, its target as a clean dotted name (name_clean,
 * NAME_TEXT_MAX) in out and its TTL. Returns RDNS_NAME, RDNS_NONE (no usable
 * PTR: NXDOMAIN, empty, or a target that is not a clean name) or RDNS_FAILED
 * (malformed message, SERVFAIL and other rcodes). */
enum rdns_state rdns_parse_answer(const uint8_t *msg, size_t len, char *out, size_t outsz,
				  uint32_t *ttl_s);

/* ---- the resolver (c-ares) ---------------------------------------------- */

struct arpview;
struct resolver;

/* Open the channel (reads /etc/resolv.conf: call before confinement). NULL
 * with a reason in err when c-ares cannot start (no resolver configured is
 * not an error: lookups then fail and are retried). */
struct resolver *resolver_open(struct arpview *view, char *err, size_t errlen);
void resolver_close(struct resolver *r);

/* The sockets c-ares wants watched, as pollfds (at most max); returns how many. */
int resolver_pollfds(struct resolver *r, struct pollfd *pfd, int max);
/* Milliseconds until c-ares's next timeout or the next device sweep (-1 none). */
int resolver_timeout_ms(struct resolver *r, uint64_t now);
/* After the wait: serve ready sockets and timeouts, start lookups for the
 * devices that need one, and bring answers into the names book. */
void resolver_process(struct resolver *r, const struct pollfd *pfd, int n, uint64_t now);

struct resolver_stats {
	uint64_t queries, answers, negative, failures, inflight;
};
void resolver_get_stats(const struct resolver *r, struct resolver_stats *out);

#endif
