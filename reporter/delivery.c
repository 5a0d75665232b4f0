#include "delivery.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "log.h"
#include "otlp.h"
#include "sched.h"
#include "snapshot.h"

/* ---- the API key ------------------------------------------------------ */

static bool key_char_ok(unsigned char c)
{
	return c > 0x20 && c < 0x7f;   /* a header value: no blanks, no controls */
}

static int key_from_text(const char *src, size_t len, const char *what, char *key, size_t n,
			 char *err, size_t errlen)
{
	while (len > 0 && (src[len - 1] == '\n' || src[len - 1] == '\r' || src[len - 1] == ' ' ||
			   src[len - 1] == '\t'))
		len--;
	if (len == 0) {
		snprintf(err, errlen, "%s is empty", what);
		return -1;
	}
	if (len >= n) {
		snprintf(err, errlen, "%s: the key is longer than %zu bytes", what, n - 1);
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		if (!key_char_ok((unsigned char)src[i])) {
			/* never quote the key: only where the bad byte is */
			snprintf(err, errlen, "%s: the key has a blank or control character "
				 "at byte %zu (one line of printable ASCII expected)", what, i + 1);
			return -1;
		}
	memcpy(key, src, len);
	key[len] = '\0';
	return 0;
}

int delivery_load_key(const char *key_file, uid_t reporter_uid, char *key, size_t n,
		      char *err, size_t errlen)
{
	key[0] = '\0';
	if (!key_file || !key_file[0]) {
		const char *env = getenv("NETMON_API_KEY");
		if (!env || !env[0])
			return 0;
		return key_from_text(env, strlen(env), "NETMON_API_KEY", key, n, err, errlen);
	}
	int fd = open(key_file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "api_key_file %s: %s", key_file, strerror(errno));
		return -1;
	}
	struct stat st;
	const char *why = NULL;
	if (fstat(fd, &st) != 0)
		why = "cannot stat it";
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (st.st_mode & S_IROTH)
		why = "readable by others (chmod o-r)";
	else if (st.st_mode & (S_IWOTH | S_IWGRP))
		why = "writable by group or others (chmod go-w)";
	else if (st.st_uid != 0 && st.st_uid != reporter_uid)
		why = "owned by someone other than root or the reporter's user";
	else if (st.st_size > (off_t)n)
		why = "too large for a key";
	if (why) {
		close(fd);
		snprintf(err, errlen, "api_key_file %s: %s; refusing it", key_file, why);
		return -1;
	}
	char *buf = malloc(n + 1);
	ssize_t got = buf ? read(fd, buf, n + 1) : -1;
	close(fd);
	int rc;
	if (got < 0) {
		snprintf(err, errlen, "api_key_file %s: cannot read it", key_file);
		rc = -1;
	} else {
		rc = key_from_text(buf, (size_t)got, key_file, key, n, err, errlen);
	}
	if (buf) {
		explicit_bzero(buf, n + 1);
		free(buf);
	}
	return rc;
}

/* ---- backoff ---------------------------------------------------------- */

uint64_t delivery_backoff_ns(unsigned failures, uint32_t rnd)
{
	uint64_t d = DELIVERY_BACKOFF_MIN_NS;
	for (unsigned i = 1; i < failures && d < DELIVERY_BACKOFF_MAX_NS; i++)
		d *= 2;
	if (d > DELIVERY_BACKOFF_MAX_NS)
		d = DELIVERY_BACKOFF_MAX_NS;
	/* jitter: somewhere in [d/2, d], so many agents do not retry in step */
	return d / 2 + (uint64_t)((double)(d / 2) * rnd / UINT32_MAX);
}

static uint32_t random32(void)
{
	uint32_t r = 0;
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r = (uint32_t)mono_ns();
	return r;
}

/* ---- response callbacks: bounded, little kept ------------------------ */

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct delivery_channel *c = ud;
	size_t len = size * nmemb;
	/* otlp keeps a bounded prefix for the partial-success parser; the rest is forgotten */
	if (c->response && c->response_len < DELIVERY_RESPONSE_MAX) {
		size_t take = DELIVERY_RESPONSE_MAX - c->response_len;
		if (take > len)
			take = len;
		memcpy(c->response + c->response_len, p, take);
		c->response_len += take;
	}
	c->response_bytes += len;
	return len;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
	struct delivery_channel *c = ud;
	size_t len = size * nmemb;
	static const char name[] = "retry-after:";
	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		c->retry_after_len = 0;   /* a new response (after 100 Continue): start over */
		c->response_len = 0;
		return len;
	}
	if (len > sizeof(name) - 1 && strncasecmp(p, name, sizeof(name) - 1) == 0) {
		const char *v = p + sizeof(name) - 1;
		size_t vlen = len - (sizeof(name) - 1);
		while (vlen > 0 && (v[vlen - 1] == '\n' || v[vlen - 1] == '\r'))
			vlen--;
		if (vlen > RETRY_AFTER_MAX_LEN) {
			c->retry_after_len = RETRY_AFTER_MAX_LEN + 1;
		} else {
			memcpy(c->retry_after, v, vlen);
			c->retry_after[vlen] = '\0';
			c->retry_after_len = vlen;
		}
	}
	return len;
}

/* ---- set-up ----------------------------------------------------------- */

bool delivery_wanted(const struct netmon_config *cfg)
{
	for (size_t i = 0; i < cfg->n_outputs; i++)
		if (cfg->outputs[i].kind == OUTPUT_HTTP || cfg->outputs[i].kind == OUTPUT_OTLP)
			return true;
	return false;
}

struct delivery_channel *delivery_channel(struct delivery *d, enum output_kind kind)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->ch[i].kind == kind)
			return &d->ch[i];
	return NULL;
}

const struct delivery_channel *delivery_channel_const(const struct delivery *d,
						      enum output_kind kind)
{
	return delivery_channel((struct delivery *)(uintptr_t)d, kind);
}

static int open_channel(struct delivery *d, const struct netmon_config *cfg,
			const struct output *out, const char *key, char *err, size_t errlen)
{
	struct delivery_channel *c = &d->ch[d->n];
	char dir[PATH_MAX];
	memset(c, 0, sizeof(*c));
	c->kind = out->kind;
	if (out->kind == OUTPUT_HTTP) {
		c->name = "http";
		c->url = cfg->api_url;
		c->gzip = cfg->gzip;
		if (key && key[0])
			snprintf(c->auth, sizeof(c->auth), "Authorization: Bearer %s", key);
		else
			log_warnx("no API key (api_key_file or NETMON_API_KEY): POSTing without "
				  "Authorization");
		snprintf(dir, sizeof(dir), "%s", cfg->state_dir);
	} else {
		c->name = "otlp";
		c->url = out->path;
		c->response = malloc(DELIVERY_RESPONSE_MAX);
		if (!c->response) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		/* its own spool, beside http's: STATE_DIR/otlp/spool */
		if (snprintf(dir, sizeof(dir), "%s/otlp", cfg->state_dir) >= (int)sizeof(dir) ||
		    (mkdir(dir, 0700) != 0 && errno != EEXIST)) {
			snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
			free(c->response);
			return -1;
		}
	}
	uint64_t spool_max = (uint64_t)cfg->spool_max_mib << 20;
#ifdef NETMON_TEST_HOOKS
	/* tests reach the bound in seconds, not after a MiB of snapshots */
	const char *t = getenv("NETMON_TEST_SPOOL_MAX_BYTES");
	if (t && *t)
		spool_max = strtoull(t, NULL, 10);
#endif
	if (spool_open(&c->spool, dir, spool_max, err, errlen) != 0) {
		free(c->response);
		return -1;
	}
	d->n++;
	return 0;
}

int delivery_open(struct delivery *d, const struct netmon_config *cfg, const char *key,
		  char *err, size_t errlen)
{
	memset(d, 0, sizeof(*d));
	d->ca_file = cfg->ca_file[0] ? cfg->ca_file : NULL;
	d->connect_timeout_s = (long)cfg->connect_timeout_seconds;
	d->timeout_s = (long)cfg->timeout_seconds;
	for (size_t i = 0; i < cfg->n_outputs; i++) {
		const struct output *out = &cfg->outputs[i];
		if (out->kind != OUTPUT_HTTP && out->kind != OUTPUT_OTLP)
			continue;
		if (delivery_channel(d, out->kind)) {
			snprintf(err, errlen, "only one %s output is supported",
				 output_kind_name(out->kind));
			delivery_close(d);
			return -1;
		}
		if (open_channel(d, cfg, out, key, err, errlen) != 0) {
			delivery_close(d);
			return -1;
		}
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || !(d->multi = curl_multi_init())) {
		snprintf(err, errlen, "cannot initialise libcurl");
		delivery_close(d);
		return -1;
	}
	return 0;
}

void delivery_close(struct delivery *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct delivery_channel *c = &d->ch[i];
		if (c->easy) {
			curl_multi_remove_handle(d->multi, c->easy);
			curl_easy_cleanup(c->easy);
			c->easy = NULL;
		}
		curl_slist_free_all(c->headers);
		c->headers = NULL;
		explicit_bzero(c->auth, sizeof(c->auth));
		free(c->body);
		c->body = NULL;
		free(c->response);
		c->response = NULL;
		spool_close(&c->spool);
	}
	d->n = 0;
	tb_free(&d->otlp_body);
	if (d->multi)
		curl_multi_cleanup(d->multi);
	d->multi = NULL;
}

void delivery_enqueue(struct delivery *d, const char *id, struct snapshot_line *line)
{
	bool rendered = false;
	for (size_t i = 0; i < d->n; i++) {
		struct delivery_channel *c = &d->ch[i];
		if (c->kind == OUTPUT_HTTP) {
			spool_put(&c->spool, id, line->text, line->len);
			continue;
		}
		/* rendered now, so what is spooled is what is sent, also after a restart;
		 * from the state (no payload parse), into a buffer kept for the next cycle */
		if (!rendered) {
			const struct metric_source *src = snapshot_line_metrics(line);
			tb_clear(&d->otlp_body);
			rendered = src && otlp_serialize_buf(&d->otlp_body, src);
		}
		if (rendered)
			spool_put(&c->spool, id, d->otlp_body.p, d->otlp_body.len);
		else
			log_warnx("otlp: cannot render snapshot %s; not spooled", id);
	}
}

/* ---- one transfer ----------------------------------------------------- */

static int gzip_body(const char *in, size_t len, char **out, size_t *outlen)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	uLong cap = deflateBound(&z, (uLong)len);
	char *buf = malloc(cap);
	if (!buf) {
		deflateEnd(&z);
		return -1;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)buf;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	*outlen = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}

static int start_transfer(struct delivery *d, struct delivery_channel *ch)
{
	const struct spool_entry *e = spool_head(&ch->spool);
	char *body;
	size_t len;
	if (spool_read_head(&ch->spool, &body, &len) != 0)
		return -1;
	if (ch->gzip) {
		char *z;
		size_t zlen;
		if (gzip_body(body, len, &z, &zlen) == 0) {
			free(body);
			body = z;
			len = zlen;
		} else {
			log_warnx("gzip failed; sending snapshot %s uncompressed", e->id);
		}
	}
	CURL *c = curl_easy_init();
	if (!c) {
		free(body);
		return -1;
	}
	curl_slist_free_all(ch->headers);
	ch->headers = curl_slist_append(NULL, "Content-Type: application/json");
	if (ch->kind == OUTPUT_HTTP) {
		char idem[SPOOL_ID_MAX + 32];
		snprintf(idem, sizeof(idem), "Idempotency-Key: %s", e->id);
		ch->headers = curl_slist_append(ch->headers, idem);
	}
	ch->headers = curl_slist_append(ch->headers, "Expect:");
	if (ch->gzip)
		ch->headers = curl_slist_append(ch->headers, "Content-Encoding: gzip");
	if (ch->auth[0])
		ch->headers = curl_slist_append(ch->headers, ch->auth);

	curl_easy_setopt(c, CURLOPT_URL, ch->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, ch->headers);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, d->connect_timeout_s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, d->timeout_s);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (d->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, d->ca_file);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, ch);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, ch);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "netmon-reporter/" NETMON_VERSION);
	curl_easy_setopt(c, CURLOPT_PRIVATE, ch);
	ch->retry_after_len = 0;
	ch->response_bytes = 0;
	ch->response_len = 0;
	ch->body = body;
	ch->body_len = len;
	if (curl_multi_add_handle(d->multi, c) != CURLM_OK) {
		curl_easy_cleanup(c);
		free(body);
		ch->body = NULL;
		return -1;
	}
	ch->easy = c;
	ch->spool.head_busy = true;
	return 0;
}

static void schedule_retry(struct delivery_channel *c, uint64_t now, long status)
{
	uint64_t wait = delivery_backoff_ns(++c->failures_in_row, random32());
	if ((status == 429 || status == 503) && c->retry_after_len > 0 &&
	    c->retry_after_len <= RETRY_AFTER_MAX_LEN) {
		uint32_t secs;
		if (retry_after_parse(c->retry_after, c->retry_after_len,
				      (int64_t)(realtime_ns() / NSEC_PER_SEC), &secs) == 0)
			/* "0" or a past date: still not faster than the shortest backoff */
			wait = secs ? (uint64_t)secs * NSEC_PER_SEC : DELIVERY_BACKOFF_MIN_NS;
		else
			log_debug("ignoring a malformed Retry-After");
	}
	c->next_attempt_ns = now + wait;
}

#define PARTIAL_LOG_EVERY_NS (60ULL * 1000000000ULL)

/* A 2xx from an OTLP endpoint may still have rejected some points. */
static void note_partial_success(struct delivery_channel *c, const char *id, uint64_t now)
{
	uint64_t rejected;
	char msg[256];
	if (!c->response || otlp_partial_success(c->response, c->response_len, &rejected, msg,
						 sizeof(msg)) != 1)
		return;
	c->partial_successes++;
	c->rejected_points += rejected;
	/* one line a minute at most: a collector that rejects every cycle must not flood */
	if (c->last_partial_log_ns && now - c->last_partial_log_ns < PARTIAL_LOG_EVERY_NS)
		return;
	c->last_partial_log_ns = now;
	log_warnx("otlp %s: snapshot %s accepted with %llu data point(s) rejected: %s "
		  "(%llu rejected in all)", c->url, id, (unsigned long long)rejected,
		  msg[0] ? msg : "(no message)", (unsigned long long)c->rejected_points);
}

static void finish_transfer(struct delivery *d, struct delivery_channel *c, CURLcode res,
			    uint64_t now)
{
	const struct spool_entry *e = spool_head(&c->spool);
	long status = 0;
	curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(d->multi, c->easy);
	curl_easy_cleanup(c->easy);
	c->easy = NULL;
	free(c->body);
	c->body = NULL;
	c->spool.head_busy = false;
	c->last_status = res == CURLE_OK ? status : 0;

	if (res == CURLE_OK && status >= 200 && status < 300) {
		if (c->failures_in_row || c->auth_refused)
			log_info("%s: %s accepts snapshots again (HTTP %ld)", c->name, c->url, status);
		if (c->kind == OUTPUT_OTLP)
			note_partial_success(c, e->id, now);
		c->failures_in_row = 0;
		c->auth_refused = false;
		c->delivered++;
		c->last_success_real_ns = realtime_ns();
		c->next_attempt_ns = 0;
		spool_pop_delivered(&c->spool);
		return;
	}
	c->send_failures++;
	if (res != CURLE_OK) {
		if (c->failures_in_row == 0)
			log_warnx("%s: POST %s failed: %s; retrying with backoff (%zu spooled)", c->name,
				  c->url, curl_easy_strerror(res), spool_depth(&c->spool));
	} else if (status == 401 || status == 403) {
		if (!c->auth_refused && c->kind == OUTPUT_HTTP)
			log_warnx("ERROR: the API refuses our key (HTTP %ld): check api_key_file / "
				  "NETMON_API_KEY; snapshots stay spooled", status);
		else if (!c->auth_refused)
			log_warnx("ERROR: %s: %s refuses us (HTTP %ld; the otlp output sends no "
				  "credentials); snapshots stay spooled", c->name, c->url, status);
		c->auth_refused = true;
	} else if (status >= 400 && status < 500 && status != 408 && status != 429) {
		log_warnx("%s: %s refused snapshot %s with HTTP %ld: moved to %s", c->name, c->url,
			  e->id, status, c->spool.dead_dir);
		spool_pop_dead(&c->spool);
		c->next_attempt_ns = 0;
		return;
	} else if (c->failures_in_row == 0) {
		log_warnx("%s: %s answered HTTP %ld; retrying with backoff (%zu spooled)", c->name,
			  c->url, status, spool_depth(&c->spool));
	}
	schedule_retry(c, now, status);
}

void delivery_step(struct delivery *d, uint64_t now)
{
	int running;
	curl_multi_perform(d->multi, &running);
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(d->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		for (size_t i = 0; i < d->n; i++)
			if (m->easy_handle == d->ch[i].easy) {
				finish_transfer(d, &d->ch[i], m->data.result, now);
				break;
			}
	}
	/* start the next one on each channel: in order, one at a time per channel */
	bool started = false;
	for (size_t i = 0; i < d->n; i++) {
		struct delivery_channel *c = &d->ch[i];
		while (!c->easy && spool_head(&c->spool) && now >= c->next_attempt_ns) {
			if (start_transfer(d, c) == 0) {
				started = true;
				break;
			}
			/* the head was unreadable (dropped) or curl failed: try the next soon */
			if (spool_head(&c->spool) == NULL)
				break;
			c->next_attempt_ns = now + DELIVERY_BACKOFF_MIN_NS;
		}
	}
	if (started)
		curl_multi_perform(d->multi, &running);
}

int delivery_timeout_ms(const struct delivery *d, uint64_t now)
{
	int best = -1;
	bool busy = false;
	for (size_t i = 0; i < d->n; i++) {
		const struct delivery_channel *c = &d->ch[i];
		int t;
		if (c->easy) {
			busy = true;
			continue;
		}
		if (!spool_head(&c->spool))
			continue;
		if (now >= c->next_attempt_ns) {
			t = 0;
		} else {
			uint64_t ms = (c->next_attempt_ns - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC;
			t = ms > 3600000 ? 3600000 : (int)ms;
		}
		if (best < 0 || t < best)
			best = t;
	}
	if (busy) {
		long t = -1;
		curl_multi_timeout(d->multi, &t);
		if (t < 0 || t > 1000)
			t = 1000;
		if (best < 0 || (int)t < best)
			best = (int)t;
	}
	return best;
}
