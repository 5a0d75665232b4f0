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
#include "sched.h"

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

/* ---- response callbacks: bounded, nothing kept but Retry-After -------- */

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct delivery *d = ud;
	(void)p;
	d->response_bytes += size * nmemb;   /* read and forgotten */
	return size * nmemb;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
	struct delivery *d = ud;
	size_t len = size * nmemb;
	static const char name[] = "retry-after:";
	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		d->retry_after_len = 0;   /* a new response (after 100 Continue): start over */
		return len;
	}
	if (len > sizeof(name) - 1 && strncasecmp(p, name, sizeof(name) - 1) == 0) {
		const char *v = p + sizeof(name) - 1;
		size_t vlen = len - (sizeof(name) - 1);
		while (vlen > 0 && (v[vlen - 1] == '\n' || v[vlen - 1] == '\r'))
			vlen--;
		if (vlen > RETRY_AFTER_MAX_LEN) {
			d->retry_after_len = RETRY_AFTER_MAX_LEN + 1;
		} else {
			memcpy(d->retry_after, v, vlen);
			d->retry_after[vlen] = '\0';
			d->retry_after_len = vlen;
		}
	}
	return len;
}

/* ---- set-up ----------------------------------------------------------- */

int delivery_open(struct delivery *d, const struct netmon_config *cfg, const char *key,
		  char *err, size_t errlen)
{
	memset(d, 0, sizeof(*d));
	d->url = cfg->api_url;
	d->ca_file = cfg->ca_file[0] ? cfg->ca_file : NULL;
	d->connect_timeout_s = (long)cfg->connect_timeout_seconds;
	d->timeout_s = (long)cfg->timeout_seconds;
	d->gzip = cfg->gzip;
	if (key && key[0])
		snprintf(d->auth, sizeof(d->auth), "Authorization: Bearer %s", key);
	else
		log_warnx("no API key (api_key_file or NETMON_API_KEY): POSTing without Authorization");
	uint64_t spool_max = (uint64_t)cfg->spool_max_mib << 20;
#ifdef NETMON_TEST_HOOKS
	/* tests reach the bound in seconds, not after a MiB of snapshots */
	const char *t = getenv("NETMON_TEST_SPOOL_MAX_BYTES");
	if (t && *t)
		spool_max = strtoull(t, NULL, 10);
#endif
	if (spool_open(&d->spool, cfg->state_dir, spool_max, err, errlen) != 0)
		return -1;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || !(d->multi = curl_multi_init())) {
		snprintf(err, errlen, "cannot initialise libcurl");
		spool_close(&d->spool);
		return -1;
	}
	return 0;
}

void delivery_close(struct delivery *d)
{
	if (d->easy) {
		curl_multi_remove_handle(d->multi, d->easy);
		curl_easy_cleanup(d->easy);
	}
	curl_slist_free_all(d->headers);
	if (d->multi)
		curl_multi_cleanup(d->multi);
	explicit_bzero(d->auth, sizeof(d->auth));
	free(d->body);
	spool_close(&d->spool);
	d->multi = NULL;
	d->easy = NULL;
}

void delivery_enqueue(struct delivery *d, const char *id, const char *body, size_t len)
{
	spool_put(&d->spool, id, body, len);
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

static int start_transfer(struct delivery *d)
{
	const struct spool_entry *e = spool_head(&d->spool);
	char *body;
	size_t len;
	if (spool_read_head(&d->spool, &body, &len) != 0)
		return -1;
	if (d->gzip) {
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
	char idem[SPOOL_ID_MAX + 32];
	snprintf(idem, sizeof(idem), "Idempotency-Key: %s", e->id);
	curl_slist_free_all(d->headers);
	d->headers = curl_slist_append(NULL, "Content-Type: application/json");
	d->headers = curl_slist_append(d->headers, idem);
	d->headers = curl_slist_append(d->headers, "Expect:");
	if (d->gzip)
		d->headers = curl_slist_append(d->headers, "Content-Encoding: gzip");
	if (d->auth[0])
		d->headers = curl_slist_append(d->headers, d->auth);

	curl_easy_setopt(c, CURLOPT_URL, d->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, d->headers);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, d->connect_timeout_s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, d->timeout_s);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (d->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, d->ca_file);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, d);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, d);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "netmon-reporter/" NETMON_VERSION);
	curl_easy_setopt(c, CURLOPT_PRIVATE, d);
	d->retry_after_len = 0;
	d->response_bytes = 0;
	d->body = body;
	d->body_len = len;
	if (curl_multi_add_handle(d->multi, c) != CURLM_OK) {
		curl_easy_cleanup(c);
		free(body);
		d->body = NULL;
		return -1;
	}
	d->easy = c;
	d->spool.head_busy = true;
	return 0;
}

static void schedule_retry(struct delivery *d, uint64_t now, long status)
{
	uint64_t wait = delivery_backoff_ns(++d->failures_in_row, random32());
	if ((status == 429 || status == 503) && d->retry_after_len > 0 &&
	    d->retry_after_len <= RETRY_AFTER_MAX_LEN) {
		uint32_t secs;
		if (retry_after_parse(d->retry_after, d->retry_after_len,
				      (int64_t)(realtime_ns() / NSEC_PER_SEC), &secs) == 0)
			/* "0" or a past date: still not faster than the shortest backoff */
			wait = secs ? (uint64_t)secs * NSEC_PER_SEC : DELIVERY_BACKOFF_MIN_NS;
		else
			log_debug("ignoring a malformed Retry-After");
	}
	d->next_attempt_ns = now + wait;
}

static void finish_transfer(struct delivery *d, CURLcode res, uint64_t now)
{
	const struct spool_entry *e = spool_head(&d->spool);
	long status = 0;
	curl_easy_getinfo(d->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(d->multi, d->easy);
	curl_easy_cleanup(d->easy);
	d->easy = NULL;
	free(d->body);
	d->body = NULL;
	d->spool.head_busy = false;
	d->last_status = res == CURLE_OK ? status : 0;

	if (res == CURLE_OK && status >= 200 && status < 300) {
		if (d->failures_in_row || d->auth_refused)
			log_info("API accepts snapshots again (HTTP %ld)", status);
		d->failures_in_row = 0;
		d->auth_refused = false;
		d->delivered++;
		d->last_success_real_ns = realtime_ns();
		d->next_attempt_ns = 0;
		spool_pop_delivered(&d->spool);
		return;
	}
	d->send_failures++;
	if (res != CURLE_OK) {
		if (d->failures_in_row == 0)
			log_warnx("POST %s failed: %s; retrying with backoff (%zu spooled)", d->url,
				  curl_easy_strerror(res), spool_depth(&d->spool));
	} else if (status == 401 || status == 403) {
		if (!d->auth_refused)
			log_warnx("ERROR: the API refuses our key (HTTP %ld): check api_key_file / "
				  "NETMON_API_KEY; snapshots stay spooled", status);
		d->auth_refused = true;
	} else if (status >= 400 && status < 500 && status != 408 && status != 429) {
		log_warnx("API refused snapshot %s with HTTP %ld: moved to %s", e->id, status,
			  d->spool.dead_dir);
		spool_pop_dead(&d->spool);
		d->next_attempt_ns = 0;
		return;
	} else if (d->failures_in_row == 0) {
		log_warnx("API answered HTTP %ld; retrying with backoff (%zu spooled)", status,
			  spool_depth(&d->spool));
	}
	schedule_retry(d, now, status);
}

void delivery_step(struct delivery *d, uint64_t now)
{
	int running;
	curl_multi_perform(d->multi, &running);
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(d->multi, &left)) != NULL)
		if (m->msg == CURLMSG_DONE && m->easy_handle == d->easy)
			finish_transfer(d, m->data.result, now);
	/* start the next one: in order, one at a time */
	while (!d->easy && spool_head(&d->spool) && now >= d->next_attempt_ns) {
		if (start_transfer(d) == 0) {
			curl_multi_perform(d->multi, &running);
			break;
		}
		/* the head was unreadable (dropped) or curl failed: try the next soon */
		if (spool_head(&d->spool) == NULL)
			break;
		d->next_attempt_ns = now + DELIVERY_BACKOFF_MIN_NS;
	}
}

int delivery_timeout_ms(const struct delivery *d, uint64_t now)
{
	long t = -1;
	if (d->easy) {
		curl_multi_timeout(d->multi, &t);
		if (t < 0 || t > 1000)
			t = 1000;
		return (int)t;
	}
	if (!spool_head(&d->spool))
		return -1;
	if (now >= d->next_attempt_ns)
		return 0;
	uint64_t ms = (d->next_attempt_ns - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC;
	return ms > 3600000 ? 3600000 : (int)ms;
}
