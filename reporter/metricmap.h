/*
 * One table of the metrics netmon exports beside its JSON payload: each row
 * says which payload field a metric comes from, its Prometheus name and
 * labels, and its OpenTelemetry name, unit and attributes. The prometheus:
 * and otlp: outputs both render from this table, so the two can never
 * disagree about what a metric counts; docs/outputs.md is this table in prose
 * (tests/t_outputs_docs.sh checks that every name appears there).
 */
#ifndef NETMON_REPORTER_METRICMAP_H
#define NETMON_REPORTER_METRICMAP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum metric_kind {
	METRIC_GAUGE,        /* a value now */
	METRIC_COUNTER,      /* cumulative, monotonic: Prometheus counter, OTel monotonic Sum */
	METRIC_UPDOWN,       /* an amount that goes up and down: gauge, OTel non-monotonic Sum */
};

/* Where a cumulative series starts (OTel startTimeUnixNano). */
enum metric_start {
	START_NONE,
	START_BOOT,          /* kernel counters: since the host booted */
	START_TOTALS,        /* netmon's totals: since the reporter's first state */
	START_REPORTER,      /* the reporter's own counters: since it started */
};

struct metric_label {
	const char *prom;        /* label name in Prometheus, NULL: not there */
	const char *otel;        /* attribute name in OTel, NULL: not there */
	const char *path;        /* field of the element; NULL with no value: the object key */
	const char *prom_value;  /* or constant values */
	const char *otel_value;
};

#define METRIC_MAX_LABELS 5

struct metric_row {
	const char *prom;        /* Prometheus name (NULL: not exported there) */
	const char *otel;        /* OpenTelemetry name (NULL: not exported there) */
	const char *help;
	const char *unit;        /* UCUM, as OTel wants it: By, s, 1, By/s */
	enum metric_kind kind;
	enum metric_start start;
	const char *each;        /* array (or object) of elements, NULL: the snapshot itself */
	const char *value;       /* field holding the number; NULL: constant 1 (info) */
	double scale;
	const char *equals;      /* value is 1 when the field is this string, else 0 */
	struct metric_label labels[METRIC_MAX_LABELS];
};

extern const struct metric_row metric_rows[];
extern const size_t metric_rows_n;

/* "a.b.c" inside obj; NULL when a step is missing or not an object. */
const json_t *metric_field(const json_t *obj, const char *path);
/* The sample of row r in element elem: false when the field is absent or of
 * the wrong type. *raw is the JSON number (NULL for equals/info rows), so
 * integers can be written exactly. */
bool metric_sample(const struct metric_row *r, const json_t *elem, double *d,
		   const json_t **raw);
/* Value of label l for elem (key: the element's object key, or NULL). */
const char *metric_label_value(const struct metric_label *l, const json_t *elem,
			       const char *key, bool otel);

/* Call fn(elem, key, ctx) for every element of r (one call with the snapshot
 * when r has no `each`). */
void metric_foreach(const struct metric_row *r, const json_t *snap,
		    void (*fn)(const json_t *elem, const char *key, void *ctx), void *ctx);

#endif
