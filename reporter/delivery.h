/*
 * Delivery to HTTP endpoints (SPEC §8), one mechanism for every output that
 * POSTs: `http` (body = the JSON payload, Bearer key) and `otlp:URL` (body =
 * the OTLP/JSON request of the payload, otlp.h). Each is a channel with its
 * own spool, order, backoff and counters; all channels share one libcurl
 * multi handle that the reporter's event loop drives (it never blocks the
 * loop), so a hanging endpoint delays nothing but its own channel.
 *
 * Every snapshot goes into the channel's spool first (its body rendered
 * then, so a restart re-sends exactly what was spooled), then is POSTed,
 * oldest first, one at a time:
 *
 *   2xx            delivered: removed from the spool (otlp: a partialSuccess
 *                  body's rejectedDataPoints are counted, one log line)
 *   429, 503       retried after Retry-After (seconds or HTTP date), else backoff
 *   401, 403       kept; logged loudly (the key is wrong); retried with backoff
 *   408, 5xx, network errors, timeouts   retried with exponential backoff + jitter
 *   other 4xx      moved to the spool's dead/ with one log line (retrying cannot help)
 *
 * Only the spool's size bound drops data. Responses are untrusted: of the
 * headers only Retry-After is looked at; the body is discarded unread, except
 * on otlp channels, where at most DELIVERY_RESPONSE_MAX bytes are kept for
 * the partial-success parser (otlp_partial_success()).
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
#include "textbuf.h"

#define DELIVERY_BACKOFF_MIN_NS (1ULL * 1000000000ULL)
#define DELIVERY_BACKOFF_MAX_NS (30ULL * 1000000000ULL)
#define DELIVERY_KEY_MAX 4096

#define DELIVERY_CHANNELS_MAX 2     /* http, otlp */
#define DELIVERY_RESPONSE_MAX 16384 /* otlp: bytes of a response body kept */

struct delivery_channel {
	enum output_kind kind;      /* OUTPUT_HTTP or OUTPUT_OTLP */
	const char *name;           /* "http" or "otlp", for logs and the snapshot */
	const char *url;
	char auth[DELIVERY_KEY_MAX + 32];  /* "Authorization: Bearer KEY", "" = none */
	bool gzip;
	struct spool spool;

	CURL *easy;                 /* the transfer in flight, or NULL */
	struct curl_slist *headers;
	char *body;                 /* of the transfer in flight */
	size_t body_len;
	uint64_t next_attempt_ns;   /* monotonic; 0 = now */
	unsigned failures_in_row;
	char retry_after[RETRY_AFTER_MAX_LEN + 1];
	size_t retry_after_len;     /* > RETRY_AFTER_MAX_LEN: too long, ignored */
	uint64_t response_bytes;
	char *response;             /* otlp: the first DELIVERY_RESPONSE_MAX bytes, else NULL */
	size_t response_len;

	uint64_t delivered;         /* snapshots the endpoint accepted */
	uint64_t send_failures;     /* attempts that did not end in a 2xx */
	uint64_t rejected_points;   /* otlp: data points a partial success rejected */
	uint64_t partial_successes; /* otlp: 2xx answers that rejected some points */
	uint64_t last_partial_log_ns;
	long last_status;           /* HTTP status of the last attempt, 0 = no response */
	uint64_t last_success_real_ns;
	bool auth_refused;          /* last answer was 401/403 */
};

struct delivery {
	CURLM *multi;
	const char *ca_file;
	long connect_timeout_s, timeout_s;
	size_t n;
	struct delivery_channel ch[DELIVERY_CHANNELS_MAX];
	struct textbuf otlp_body;   /* the otlp: request being spooled, reused every cycle */
};

/* Read the API key: from key_file when set (refused when others may read it,
 * or anyone but root or `reporter_uid` may write it), else from the
 * environment variable NETMON_API_KEY. key is "" when there is none.
 * 0, or -1 with err (which never contains the key). */
int delivery_load_key(const char *key_file, uid_t reporter_uid, char *key, size_t n,
		      char *err, size_t errlen);

/* True when cfg lists an output that delivery serves (http, otlp:). */
bool delivery_wanted(const struct netmon_config *cfg);
/* Set up libcurl and one channel per http/otlp output: http spools in
 * cfg->state_dir/spool, otlp in cfg->state_dir/otlp/spool. `key` (may be "")
 * is sent to http only. */
int delivery_open(struct delivery *d, const struct netmon_config *cfg, const char *key,
		  char *err, size_t errlen);
void delivery_close(struct delivery *d);
/* The channel of that kind, or NULL. */
struct delivery_channel *delivery_channel(struct delivery *d, enum output_kind kind);
const struct delivery_channel *delivery_channel_const(const struct delivery *d,
						      enum output_kind kind);
/* Spool one snapshot (the payload line) on every channel, each with its own
 * body rendered now (fsynced before this returns). */
struct snapshot_line;
void delivery_enqueue(struct delivery *d, const char *id, struct snapshot_line *line);
/* Drive transfers: finish what completed, start the next when its time has
 * come, on every channel. Call after every wakeup. */
void delivery_step(struct delivery *d, uint64_t now_ns);
/* How long the loop may sleep before delivery_step is needed again (ms). */
int delivery_timeout_ms(const struct delivery *d, uint64_t now_ns);

/* The backoff before attempt `failures` + 1: exponential from
 * DELIVERY_BACKOFF_MIN_NS, capped, with jitter in [half, full]. `rnd` is a
 * random 32-bit value. Split out for tests. */
uint64_t delivery_backoff_ns(unsigned failures, uint32_t rnd);

#endif
