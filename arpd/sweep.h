/*
 * One active ARP sweep over a set of IPv4 addresses, as a pure state
 * machine: the caller asks what to send at time `now`, feeds replies in and
 * asks when the sweep is over. No sockets, no clock of its own, so the
 * schedule is unit-tested with made-up times.
 *
 * Pacing: `rate` requests per second on a fixed schedule; a late wake-up
 * catches up with at most SWEEP_BURST requests back to back, so no second
 * ever holds more than rate + SWEEP_BURST requests. Every address gets one request in address order; an address still
 * silent `retry_wait` after its last request goes back in line ahead of new
 * addresses, up to `tries` requests in all. The retry wait and the final wait
 * after the last request follow the reply times seen so far: a LAN that
 * answers in a millisecond is not waited on for half a second, one with
 * slow (sleeping) hosts is.
 */
#ifndef ARPD_SWEEP_H
#define ARPD_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cidr.h"

#define SWEEP_MAX_ADDRESSES 65536u      /* a /16; larger ranges are refused */
#define SWEEP_DEFAULT_RATE 500u         /* arp-scan's default: 256 kbit/s of 64-byte frames */
#define SWEEP_DEFAULT_TRIES 2u          /* arp-scan's default --retry=2 */
#define SWEEP_BURST 8u                  /* most requests sent back to back to catch up */
#define SWEEP_WAIT_MIN_NS (50ULL * 1000000ULL)        /* final wait, at least */
#define SWEEP_RETRY_WAIT_MIN_NS (10ULL * 1000000ULL)  /* first request → retry, at least */
#define SWEEP_WAIT_MAX_NS (1000ULL * 1000000ULL)

struct sweep_target {
	uint32_t ip;                /* host order */
	uint8_t tries;              /* requests sent */
	bool answered;
	uint8_t mac[6];             /* first MAC that answered */
	uint64_t first_sent_ns, last_sent_ns;
};

enum sweep_reply {
	SWEEP_MATCHED,              /* first answer to one of our requests */
	SWEEP_DUPLICATE,            /* the same MAC again (folded) */
	SWEEP_CONFLICT,             /* a second MAC answering for one address */
	SWEEP_UNASKED,              /* not an address of this sweep, or never asked yet */
};

struct sweep_stats {
	uint64_t requests;          /* sent */
	uint64_t retries;           /* of those, second and later tries */
	uint64_t matched, duplicates, conflicts, unasked;
	uint64_t rtt_max_ns;        /* slowest reply seen */
	uint64_t rtt_first_max_ns;  /* slowest reply to a first request */
};

struct sweep {
	struct sweep_target *t;     /* sorted by ip, no duplicates */
	uint32_t n;
	uint32_t next_first;        /* next address for its first request */
	uint32_t *retry_q;          /* ring of indices waiting for a retry, in send order */
	uint32_t rq_head, rq_len;
	uint64_t interval_ns;       /* 1/rate */
	uint64_t next_send_ns;      /* earliest instant for the next request */
	uint64_t last_send_ns;
	uint64_t start_ns;
	unsigned tries;
	bool started;
	struct sweep_stats st;
};

/* Addresses of `range` without each prefix's network and broadcast address
 * (kept for /31 and /32). More than SWEEP_MAX_ADDRESSES, or any prefix
 * shorter than /16, is refused with one line in err. 0 or -1. */
int sweep_init(struct sweep *s, const struct cidr_list *range, unsigned rate, unsigned tries,
	       char *err, size_t errlen);
void sweep_free(struct sweep *s);
/* Leave one address out (our own): before the sweep starts only. */
void sweep_exclude(struct sweep *s, uint32_t ip);

/* The request due at `now`, if any: true and *ip set (the caller sends it). */
bool sweep_next(struct sweep *s, uint64_t now_ns, uint32_t *ip);
/* An ARP reply from `ip` with sender `mac` addressed to us. */
enum sweep_reply sweep_reply(struct sweep *s, uint32_t ip, const uint8_t mac[6], uint64_t now_ns);
/* Every request sent and the final wait over. */
bool sweep_done(const struct sweep *s, uint64_t now_ns);
/* The next instant something is due (a request or the end), for poll(). */
uint64_t sweep_wake_ns(const struct sweep *s, uint64_t now_ns);

/* The adaptive waits, exposed for tests. */
uint64_t sweep_retry_wait_ns(const struct sweep *s);
uint64_t sweep_final_wait_ns(const struct sweep *s);
uint32_t sweep_found(const struct sweep *s);

#endif
