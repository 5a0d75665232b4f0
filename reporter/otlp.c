#include "otlp.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "metricmap.h"

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

/* The request is written as text straight away (textbuf.h): with a thousand
 * devices a tree of jansson objects and json_dumps() cost ~60x the payload's
 * own line (docs/performance.md). */

/* OTLP/JSON writes 64-bit integers as decimal strings. */
static void put_u64_str(struct textbuf *b, uint64_t v)
{
	TB_LIT(b, "\"");
	tb_u64(b, v);
	TB_LIT(b, "\"");
}

static void put_kv(struct textbuf *b, const char *key, const char *value)
{
	TB_LIT(b, "{\"key\":");
	tb_json_str(b, key);
	TB_LIT(b, ",\"value\":{\"stringValue\":");
	tb_json_str(b, value);
	TB_LIT(b, "}}");
}

/* A row's data points differ only in the values of its attributes that
 * come from the data and in the value: the rest (keys, constant attributes
 * such as network.io.direction, the times) is made once per row, keys and
 * constants escaped then. seg_end[j] ends the text before variable
 * attribute var[j]'s value (inside its quotes); seg_end[nvar] the tail. */
struct otlp_ctx {
	struct textbuf *b;
	size_t points;              /* of the current metric, all its rows */
	struct textbuf tmpl;
	size_t seg_end[METRIC_MAX_LABELS + 1];
	int var[METRIC_MAX_LABELS];
	size_t nvar;
};

static void row_template(struct otlp_ctx *c, const struct metric_row *r, uint64_t now,
			 uint64_t start)
{
	struct textbuf *t = &c->tmpl;
	tb_clear(t);
	TB_LIT(t, "{\"attributes\":[");
	c->nvar = 0;
	int n = 0;
	for (int i = 0; i < METRIC_MAX_LABELS; i++) {
		const struct metric_label *l = &r->labels[i];
		if (!l->otel)
			continue;
		if (n++)
			TB_LIT(t, ",");
		TB_LIT(t, "{\"key\":");
		tb_json_str(t, l->otel);
		TB_LIT(t, ",\"value\":{\"stringValue\":\"");
		if (!l->otel_value) {
			c->seg_end[c->nvar] = t->len;
			c->var[c->nvar++] = i;
		} else {
			tb_json_body(t, l->otel_value);
		}
		TB_LIT(t, "\"}}");
	}
	TB_LIT(t, "],\"timeUnixNano\":");
	put_u64_str(t, now);
	if (start) {
		TB_LIT(t, ",\"startTimeUnixNano\":");
		put_u64_str(t, start);
	}
	c->seg_end[c->nvar] = t->len;
}

static void add_point(const struct metric_point *p, void *vctx)
{
	struct otlp_ctx *c = vctx;
	struct textbuf *b = c->b;
	const char *t = c->tmpl.p;
	size_t at = 0;

	if (c->points++)
		TB_LIT(b, ",");
	for (size_t j = 0; j < c->nvar; j++) {
		const struct metric_str *v = &p->label[c->var[j]];
		tb_put(b, t + at, c->seg_end[j] - at);
		at = c->seg_end[j];
		if (v->plain)
			tb_put(b, v->s, v->len);
		else if (v->s)
			tb_json_body(b, v->s);
	}
	tb_put(b, t + at, c->seg_end[c->nvar] - at);
	if (p->exact && p->i >= 0) {
		TB_LIT(b, ",\"asInt\":");
		put_u64_str(b, (uint64_t)p->i);
	} else {
		TB_LIT(b, ",\"asDouble\":");
		tb_double(b, p->d);         /* round-trips; finite by metric_points() */
	}
	TB_LIT(b, "}");
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

static void metric_open(struct textbuf *b, const struct metric_row *r, bool first)
{
	if (first)
		TB_LIT(b, "{\"name\":");
	else
		TB_LIT(b, ",{\"name\":");
	tb_json_str(b, r->otel);
	TB_LIT(b, ",\"description\":");
	tb_json_str(b, r->help ? r->help : "");
	TB_LIT(b, ",\"unit\":");
	tb_json_str(b, r->unit);
	if (r->kind == METRIC_GAUGE)
		TB_LIT(b, ",\"gauge\":{\"dataPoints\":[");
	else
		TB_LIT(b, ",\"sum\":{\"dataPoints\":[");
}

static void metric_close(struct textbuf *b, const struct metric_row *r)
{
	if (r->kind == METRIC_GAUGE)
		TB_LIT(b, "]}}");
	else if (r->kind == METRIC_COUNTER)
		TB_LIT(b, "],\"aggregationTemporality\":2,\"isMonotonic\":true}}");
	else
		TB_LIT(b, "],\"aggregationTemporality\":2,\"isMonotonic\":false}}");
}

bool otlp_serialize_buf(struct textbuf *b, const struct metric_source *src)
{
	const json_t *snap = src->snap;
	uint64_t now = iso_ms_to_ns(metric_field(snap, "snapshotTime"));
	if (!now)
		return false;
	uint64_t boot = seconds_before(now, metric_field(snap, "metrics.uptimeSeconds"));
	uint64_t reporter = seconds_before(now, metric_field(snap, "agent.uptimeSeconds"));
	uint64_t totals = iso_ms_to_ns(metric_field(snap, "agent.totalsSince"));
	if (!totals)
		totals = reporter;
	const json_t *sid = metric_field(snap, "serverId");
	const json_t *ver = metric_field(snap, "agent.version");
	const char *server = json_is_string(sid) ? json_string_value(sid) : "";
	const char *version = json_is_string(ver) ? json_string_value(ver) : "";

	TB_LIT(b, "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[");
	put_kv(b, "host.name", server);
	TB_LIT(b, ",");
	put_kv(b, "service.name", "netmon");
	TB_LIT(b, ",");
	put_kv(b, "service.instance.id", server);
	TB_LIT(b, ",");
	put_kv(b, "service.version", version);
	TB_LIT(b, "]},\"scopeMetrics\":[{\"scope\":{\"name\":\"netmon\",\"version\":");
	tb_json_str(b, version);
	TB_LIT(b, "},\"metrics\":[");

	struct otlp_ctx c = { .b = b };
	size_t metrics = 0, mark = 0;
	const struct metric_row *open_row = NULL;
	for (size_t i = 0; i < metric_rows_n; i++) {
		const struct metric_row *r = &metric_rows[i];
		if (!r->otel)
			continue;
		/* rows of one OTel metric are adjacent: one Metric, their points together */
		if (!open_row || strcmp(open_row->otel, r->otel) != 0) {
			if (open_row && c.points) {
				metric_close(b, open_row);
				metrics++;
			} else if (open_row) {
				/* a metric with no data point is not worth sending (the spec frowns on it) */
				b->len = mark;
			}
			mark = b->len;
			metric_open(b, r, metrics == 0);
			open_row = r;
			c.points = 0;
		}
		row_template(&c, r, now, row_start(r, boot, totals, reporter));
		metric_points(r, src, true, add_point, &c);
	}
	if (open_row && c.points)
		metric_close(b, open_row);
	else if (open_row)
		b->len = mark;
	TB_LIT(b, "]}]}]}");
	bool ok = !b->failed && !c.tmpl.failed;
	tb_free(&c.tmpl);
	return ok;
}

char *otlp_serialize(const json_t *snap, size_t *len)
{
	return metric_render_json(snap, len, otlp_serialize_buf);
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
