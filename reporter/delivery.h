/*
 * HTTP delivery (SPEC §8): every snapshot goes into the spool first, then is
 * POSTed, oldest first, one at a time, through a libcurl multi handle that
 * the reporter's event loop drives (it never blocks the loop).
 *
 *   2xx            delivered: removed from the spool
 *   429, 503       retried after Retry-After (seconds or HTTP date), else backoff
 *   401, 403       kept; logged loudly (the key is wrong); retried with backoff
 *   408, 5xx, network errors, timeouts   retried with exponential backoff + jitter
 *   other 4xx      moved to spool/dead with one log line (retrying cannot help)
 *
 * Only the spool's size bound drops data. Responses are untrusted: the body is
 * discarded unread, and of the headers only Retry-After is looked at.
 */
#ifndef NETMON_REPORTER_DELIVERY_H
#define NETMON_REPORTER_DELIVERY_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "retry_after.h"
#include "spool.h"

#define DELIVERY_BACKOFF_MIN_NS (1ULL * 1000000000ULL)
#define DELIVERY_BACKOFF_MAX_NS (30ULL * 1000000000ULL)
#define DELIVERY_KEY_MAX 4096

struct delivery {
	CURLM *multi;
	CURL *easy;                 /* the transfer in flight, or NULL */
	struct curl_slist *headers;
	const char *url;
	char auth[DELIVERY_KEY_MAX + 32];  /* "Authorization: Bearer KEY", "" = none */
	const char *ca_file;
	long connect_timeout_s, timeout_s;
	bool gzip;
	struct spool spool;

	char *body;                 /* of the transfer in flight */
	size_t body_len;
	uint64_t next_attempt_ns;   /* monotonic; 0 = now */
	unsigned failures_in_row;
	char retry_after[RETRY_AFTER_MAX_LEN + 1];
	size_t retry_after_len;     /* > RETRY_AFTER_MAX_LEN: too long, ignored */
	uint64_t response_bytes;

	uint64_t delivered;         /* snapshots the API accepted */
	uint64_t send_failures;     /* attempts that did not end in a 2xx */
	long last_status;           /* HTTP status of the last attempt, 0 = no response */
	uint64_t last_success_real_ns;
	bool auth_refused;          /* last answer was 401/403 */
};

/* Read the API key: from key_file when set (refused when others may read it,
 * or anyone but root or `reporter_uid` may write it), else from the
 * environment variable NETMON_API_KEY. key is "" when there is none.
 * 0, or -1 with err (which never contains the key). */
int delivery_load_key(const char *key_file, uid_t reporter_uid, char *key, size_t n,
		      char *err, size_t errlen);

/* Set up libcurl and the spool in cfg->state_dir. `key` may be "". */
int delivery_open(struct delivery *d, const struct netmon_config *cfg, const char *key,
		  char *err, size_t errlen);
void delivery_close(struct delivery *d);
/* Spool one snapshot for delivery (fsynced before this returns). */
void delivery_enqueue(struct delivery *d, const char *id, const char *body, size_t len);
/* Drive transfers: finish what completed, start the next when its time has
 * come. Call after every wakeup. */
void delivery_step(struct delivery *d, uint64_t now_ns);
/* How long the loop may sleep before delivery_step is needed again (ms). */
int delivery_timeout_ms(const struct delivery *d, uint64_t now_ns);

/* The backoff before attempt `failures` + 1: exponential from
 * DELIVERY_BACKOFF_MIN_NS, capped, with jitter in [half, full]. `rnd` is a
 * random 32-bit value. Split out for tests. */
uint64_t delivery_backoff_ns(unsigned failures, uint32_t rnd);

#endif
