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

/* OTLP/JSON writes 64-bit integers as decimal strings. */
static json_t *u64_string(uint64_t v)
{
	char b[24];
	snprintf(b, sizeof(b), "%" PRIu64, v);
	return json_string(b);
}

static json_t *kv(const char *key, const char *value)
{
	return json_pack("{s:s, s:{s:s}}", "key", key, "value", "stringValue", value);
}

struct otlp_ctx {
	const struct metric_row *row;
	json_t *points;
	uint64_t now_ns, start_ns;
};

static void add_point(const json_t *elem, const char *key, void *vctx)
{
	struct otlp_ctx *c = vctx;
	const struct metric_row *r = c->row;
	const json_t *raw;
	double d;

	if (!metric_sample(r, elem, &d, &raw))
		return;
	json_t *attrs = json_array();
	for (int i = 0; i < METRIC_MAX_LABELS; i++) {
		const struct metric_label *l = &r->labels[i];
		if (l->otel)
			json_array_append_new(attrs, kv(l->otel, metric_label_value(l, elem, key, true)));
	}
	json_t *p = json_pack("{s:o, s:o}", "attributes", attrs, "timeUnixNano", u64_string(c->now_ns));
	if (c->start_ns)
		json_object_set_new(p, "startTimeUnixNano", u64_string(c->start_ns));
	if (raw && json_integer_value(raw) >= 0)
		json_object_set_new(p, "asInt", u64_string((uint64_t)json_integer_value(raw)));
	else
		json_object_set_new(p, "asDouble", json_real(d));
	json_array_append_new(c->points, p);
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

static json_t *new_metric(const struct metric_row *r, json_t **points)
{
	*points = json_array();
	json_t *m = json_pack("{s:s, s:s, s:s}", "name", r->otel, "description", r->help ? r->help : "",
			      "unit", r->unit);
	if (r->kind == METRIC_GAUGE)
		json_object_set_new(m, "gauge", json_pack("{s:O}", "dataPoints", *points));
	else
		json_object_set_new(m, "sum", json_pack("{s:O, s:i, s:b}", "dataPoints", *points,
							 "aggregationTemporality",
							 AGGREGATION_TEMPORALITY_CUMULATIVE,
							 "isMonotonic", r->kind == METRIC_COUNTER));
	json_decref(*points);      /* the metric holds it */
	return m;
}

json_t *otlp_build(const json_t *snap)
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

	json_t *metrics = json_array();
	json_t *points = NULL;
	const char *current = NULL;
	for (size_t i = 0; i < metric_rows_n; i++) {
		const struct metric_row *r = &metric_rows[i];
		if (!r->otel)
			continue;
		/* rows of one OTel metric are adjacent: one Metric, their points together */
		if (!current || strcmp(current, r->otel) != 0)
			json_array_append_new(metrics, new_metric(r, &points));
		current = r->otel;
		struct otlp_ctx c = { r, points, now, row_start(r, boot, totals, reporter) };
		metric_foreach(r, snap, add_point, &c);
	}
	/* a metric with no data point is not worth sending (and the spec frowns on it) */
	for (size_t i = json_array_size(metrics); i-- > 0;) {
		const json_t *m = json_array_get(metrics, i);
		const json_t *pts = metric_field(m, "gauge.dataPoints");
		if (!pts)
			pts = metric_field(m, "sum.dataPoints");
		if (json_array_size(pts) == 0)
			json_array_remove(metrics, i);
	}
	json_t *resource = json_pack("{s:[o, o, o, o]}", "attributes",
				     kv("host.name", server), kv("service.name", "netmon"),
				     kv("service.instance.id", server), kv("service.version", version));
	return json_pack("{s:[{s:o, s:[{s:{s:s, s:s}, s:o}]}]}", "resourceMetrics",
			 "resource", resource, "scopeMetrics", "scope", "name", "netmon",
			 "version", version, "metrics", metrics);
}

char *otlp_render(const char *payload, size_t len, size_t *out_len)
{
	json_t *snap = json_loadb(payload, len, 0, NULL);
	json_t *req = snap ? otlp_build(snap) : NULL;
	char *text = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	json_decref(snap);
	if (text)
		*out_len = strlen(text);
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
