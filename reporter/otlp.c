#include "otlp.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "metricmap.h"

#define AGGREGATION_TEMPORALITY_CUMULATIVE 2

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" (the payload's own format) to ns since the
 * epoch; 0 when it is not exactly that. */
static uint64_t iso_ms_to_ns(const json_t *v)
{
	struct tm tm = { 0 };
	int ms = -1, used = 0;
	const char *s = json_string_value(v);

	if (!s || strlen(s) != 24)
		return 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms, &used) != 7 || used != 24 || ms < 0)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm);
	if (t <= 0)
		return 0;
	return (uint64_t)t * 1000000000ULL + (uint64_t)ms * 1000000ULL;
}

static uint64_t seconds_before(uint64_t t_ns, const json_t *seconds)
{
	if (!json_is_number(seconds) || json_number_value(seconds) < 0)
		return 0;
	uint64_t d = (uint64_t)(json_number_value(seconds) * 1e9);
	return d < t_ns ? t_ns - d : 0;
}

/* The request is written as text straight away: with a thousand devices a
 * tree of jansson objects and json_dumps() cost ~60x the payload's own line
 * (docs/performance.md). */
struct obuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void reserve(struct obuf *b, size_t more)
{
	if (b->oom || b->len + more <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 65536;
	while (cap < b->len + more)
		cap *= 2;
	char *n = realloc(b->p, cap);
	if (!n) {
		b->oom = true;
		return;
	}
	b->p = n;
	b->cap = cap;
}

static void put_n(struct obuf *b, const char *s, size_t n)
{
	reserve(b, n);
	if (b->oom)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void put(struct obuf *b, const char *s)
{
	put_n(b, s, strlen(s));
}

/* A JSON string. jansson's strings are valid UTF-8 already: only quotes,
 * backslashes and control characters need escaping. */
static void put_str(struct obuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(s);
	reserve(b, 6 * n + 2);
	if (b->oom)
		return;
	char *o = b->p + b->len;
	*o++ = '"';
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			memcpy(o, "\\u00", 4);
			o[4] = hex[c >> 4];
			o[5] = hex[c & 15];
			o += 6;
		} else {
			*o++ = (char)c;
		}
	}
	*o++ = '"';
	b->len = (size_t)(o - b->p);
}

/* OTLP/JSON writes 64-bit integers as decimal strings. */
static void put_u64_str(struct obuf *b, uint64_t v)
{
	char t[24];
	int i = (int)sizeof(t);
	t[--i] = '"';
	do {
		t[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	t[--i] = '"';
	put_n(b, t + i, sizeof(t) - (size_t)i);
}

static void put_kv(struct obuf *b, const char *key, const char *value)
{
	put(b, "{\"key\":");
	put_str(b, key);
	put(b, ",\"value\":{\"stringValue\":");
	put_str(b, value);
	put(b, "}}");
}

struct otlp_ctx {
	struct obuf *b;
	const struct metric_row *row;
	size_t points;              /* of the current metric, all its rows */
	char now[24];               /* "\"NNN\"" of the snapshot's time, written once */
	size_t now_len;
	uint64_t start_ns;
};

static void add_point(const json_t *elem, const char *key, void *vctx)
{
	struct otlp_ctx *c = vctx;
	struct obuf *b = c->b;
	const struct metric_row *r = c->row;
	const json_t *raw;
	double d;

	if (!metric_sample(r, elem, &d, &raw))
		return;
	put(b, c->points++ ? ",{\"attributes\":[" : "{\"attributes\":[");
	int n = 0;
	for (int i = 0; i < METRIC_MAX_LABELS; i++) {
		const struct metric_label *l = &r->labels[i];
		if (!l->otel)
			continue;
		if (n++)
			put_n(b, ",", 1);
		put_kv(b, l->otel, metric_label_value(l, elem, key, true));
	}
	put(b, "],\"timeUnixNano\":");
	put_n(b, c->now, c->now_len);
	if (c->start_ns) {
		put(b, ",\"startTimeUnixNano\":");
		put_u64_str(b, c->start_ns);
	}
	if (raw && json_integer_value(raw) >= 0) {
		put(b, ",\"asInt\":");
		put_u64_str(b, (uint64_t)json_integer_value(raw));
	} else {
		char t[40];
		/* %.17g round-trips a double; finite by metric_sample() */
		int w = snprintf(t, sizeof(t), ",\"asDouble\":%.17g", d);
		put_n(b, t, (size_t)w);
	}
	put_n(b, "}", 1);
}

static uint64_t row_start(const struct metric_row *r, uint64_t boot, uint64_t totals,
			  uint64_t reporter)
{
	switch (r->start) {
	case START_BOOT: return boot;
	case START_TOTALS: return totals;
	case START_REPORTER: return reporter;
	case START_NONE: break;
	}
	return 0;
}

static void metric_open(struct obuf *b, const struct metric_row *r, bool first)
{
	put(b, first ? "{\"name\":" : ",{\"name\":");
	put_str(b, r->otel);
	put(b, ",\"description\":");
	put_str(b, r->help ? r->help : "");
	put(b, ",\"unit\":");
	put_str(b, r->unit);
	put(b, r->kind == METRIC_GAUGE ? ",\"gauge\":{\"dataPoints\":[" : ",\"sum\":{\"dataPoints\":[");
}

static void metric_close(struct obuf *b, const struct metric_row *r)
{
	if (r->kind == METRIC_GAUGE)
		put(b, "]}}");
	else if (r->kind == METRIC_COUNTER)
		put(b, "],\"aggregationTemporality\":2,\"isMonotonic\":true}}");
	else
		put(b, "],\"aggregationTemporality\":2,\"isMonotonic\":false}}");
}

char *otlp_serialize(const json_t *snap, size_t *len)
{
	uint64_t now = iso_ms_to_ns(metric_field(snap, "snapshotTime"));
	if (!now)
		return NULL;
	uint64_t boot = seconds_before(now, metric_field(snap, "metrics.uptimeSeconds"));
	uint64_t reporter = seconds_before(now, metric_field(snap, "agent.uptimeSeconds"));
	uint64_t totals = iso_ms_to_ns(metric_field(snap, "agent.totalsSince"));
	if (!totals)
		totals = reporter;
	const json_t *sid = metric_field(snap, "serverId");
	const json_t *ver = metric_field(snap, "agent.version");
	const char *server = json_is_string(sid) ? json_string_value(sid) : "";
	const char *version = json_is_string(ver) ? json_string_value(ver) : "";

	struct obuf b = { 0 };
	put(&b, "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[");
	put_kv(&b, "host.name", server);
	put_n(&b, ",", 1);
	put_kv(&b, "service.name", "netmon");
	put_n(&b, ",", 1);
	put_kv(&b, "service.instance.id", server);
	put_n(&b, ",", 1);
	put_kv(&b, "service.version", version);
	put(&b, "]},\"scopeMetrics\":[{\"scope\":{\"name\":\"netmon\",\"version\":");
	put_str(&b, version);
	put(&b, "},\"metrics\":[");

	struct otlp_ctx c = { .b = &b };
	struct obuf t = { .p = c.now, .cap = sizeof(c.now) };
	put_u64_str(&t, now);
	c.now_len = t.len;
	size_t metrics = 0, mark = 0;
	const struct metric_row *open_row = NULL;
	for (size_t i = 0; i < metric_rows_n; i++) {
		const struct metric_row *r = &metric_rows[i];
		if (!r->otel)
			continue;
		/* rows of one OTel metric are adjacent: one Metric, their points together */
		if (!open_row || strcmp(open_row->otel, r->otel) != 0) {
			if (open_row && c.points) {
				metric_close(&b, open_row);
				metrics++;
			} else if (open_row) {
				/* a metric with no data point is not worth sending (the spec frowns on it) */
				b.len = mark;
			}
			mark = b.len;
			metric_open(&b, r, metrics == 0);
			open_row = r;
			c.points = 0;
		}
		c.row = r;
		c.start_ns = row_start(r, boot, totals, reporter);
		metric_foreach(r, snap, add_point, &c);
	}
	if (open_row && c.points)
		metric_close(&b, open_row);
	else if (open_row)
		b.len = mark;
	put(&b, "]}]}]}");
	put_n(&b, "", 1);   /* the NUL */
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	*len = b.len - 1;
	return b.p;
}

json_t *otlp_build(const json_t *snap)
{
	size_t len;
	char *text = otlp_serialize(snap, &len);
	json_t *req = text ? json_loadb(text, len, 0, NULL) : NULL;
	free(text);
	return req;
}

char *otlp_render(const char *payload, size_t len, size_t *out_len)
{
	json_t *snap = json_loadb(payload, len, 0, NULL);
	char *text = snap ? otlp_serialize(snap, out_len) : NULL;
	json_decref(snap);
	return text;
}

/* protojson writes int64 as a decimal string, but accepts a number too. */
static bool count_value(const json_t *v, uint64_t *out)
{
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return true;
	}
	const char *s = json_string_value(v);
	if (!s || !*s || strlen(s) > 19)
		return false;
	uint64_t n = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	*out = n;
	return true;
}

int otlp_partial_success(const char *body, size_t len, uint64_t *rejected, char *msg,
			 size_t msglen)
{
	*rejected = 0;
	if (msglen)
		msg[0] = '\0';
	if (!body || len == 0 || len > OTLP_RESPONSE_MAX)
		return 0;
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	const json_t *ps = json_is_object(root) ? json_object_get(root, "partialSuccess") : NULL;
	int rc = 0;
	if (json_is_object(ps)) {
		const json_t *r = json_object_get(ps, "rejectedDataPoints");
		if (r && !count_value(r, rejected))
			*rejected = 0;
		const char *m = json_string_value(json_object_get(ps, "errorMessage"));
		size_t k = 0;
		/* the message goes into our log: printable ASCII only, bounded */
		for (; m && *m && k + 1 < msglen; m++)
			msg[k++] = (*m >= 0x20 && *m < 0x7f) ? *m : '?';
		if (msglen)
			msg[k] = '\0';
		rc = *rejected > 0 || k > 0;
	}
	json_decref(root);
	return rc;
}
