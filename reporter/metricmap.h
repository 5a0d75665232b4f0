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
#include <stdint.h>

#include "cidr.h"

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

/* ---- where the rows read their values -------------------------------------
 * The device rows (`each` = connectedDevices) are the only ones that grow with
 * the network, so they read a flat view of each device's fields instead of
 * JSON: filled from the reporter's state every cycle (snapshot.c,
 * snapshot_devices(); no payload parse, no jansson object per device), or
 * from a payload (metric_devices_from_json(): the reference the tests hold
 * the state's view to, and what tools rendering a saved payload use). The
 * other rows read the snapshot's own jansson object: a few dozen fields. */
#define METRIC_DEVICES "network.connectedDevices"
/* Significant digits of the payload's reals (snapshot_text()): a real read
 * from the in-memory object is rounded the same way, so a metric is the
 * payload's value whichever object it was read from. */
#define PAYLOAD_REAL_DIGITS 10

enum metric_dev_str { MDEV_IP, MDEV_MAC, MDEV_NAME, MDEV_VENDOR, MDEV_STATUS, MDEV_NSTR };
enum metric_dev_num { MDEV_RX_BYTES, MDEV_TX_BYTES, MDEV_RX_PACKETS, MDEV_TX_PACKETS, MDEV_NNUM };
/* The payload field each one is (relative to the element), in enum order. */
extern const char *const metric_dev_str_fields[MDEV_NSTR];
extern const char *const metric_dev_num_fields[MDEV_NNUM];

enum metric_num_kind { MNUM_NONE, MNUM_INT, MNUM_REAL };
struct metric_num {
	enum metric_num_kind kind;  /* NONE: absent, or not a number */
	union { int64_t i; double d; } v;
};

/* A string the rows read, with its length and whether it can be written as
 * it is in both formats (printable ASCII but `"` and `\`): most can, and
 * skip the escapers. s NULL: absent. */
struct metric_str {
	const char *s;
	size_t len;
	bool plain;
};
void metric_str_set(struct metric_str *v, const char *s);

struct metric_device {
	struct metric_str str[MDEV_NSTR];   /* .s NULL: absent (JSON null, not a string) */
	struct metric_num num[MDEV_NNUM];
	char ip[ADDR_STRLEN], mac[MAC_STRLEN];   /* str[] storage when filled from state */
};

struct metric_devices {
	struct metric_device *v;
	size_t n, cap;
};

/* Empty it, with room for n devices (str[] may point into the elements, so
 * the array never moves while it fills; the memory is kept for the next
 * cycle). 0, or -1 out of memory. */
int metric_devices_reset(struct metric_devices *d, size_t n);
/* The next element, zeroed; NULL when the reserved room is used up. */
struct metric_device *metric_devices_add(struct metric_devices *d);
/* The view of snap's network.connectedDevices (an array, or an object's
 * values); strings borrowed from snap. 0, or -1 out of memory. */
int metric_devices_from_json(struct metric_devices *d, const json_t *snap);
void metric_devices_free(struct metric_devices *d);

struct metric_source {
	const json_t *snap;                     /* every row but the device rows */
	const struct metric_devices *devices;   /* the device rows (NULL: none) */
};

struct textbuf;
/* Render a payload read back (tests, tools/metrics_render) with one of the
 * formats' renderers: the device view made from snap, then `render`. A
 * NUL-terminated malloc'd text and its length, or NULL. */
char *metric_render_json(const json_t *snap, size_t *len,
			 bool (*render)(struct textbuf *b, const struct metric_source *src));

/* One sample of a row: its value, and the value of each of the row's labels
 * for the flavour asked (.s NULL where the flavour has no label k). */
struct metric_point {
	bool exact;                 /* an integer: i holds it exactly (d too, rounded) */
	int64_t i;
	double d;                   /* finite */
	struct metric_str label[METRIC_MAX_LABELS];   /* .s NULL: no such label */
	size_t dev;                 /* device rows: the device's index in the view, else SIZE_MAX */
};

/* Call fn for every sample of row r in src, in the payload's order: one per
 * element of `each` whose value field is present with the right type (one
 * for the snapshot itself without `each`). otel picks the label names and
 * constant values of OpenTelemetry, else Prometheus. Nothing in src is
 * trusted to be well-formed: a missing or wrong-typed field is no sample, a
 * missing label value is "". */
void metric_points(const struct metric_row *r, const struct metric_source *src, bool otel,
		   void (*fn)(const struct metric_point *p, void *ctx), void *ctx);

/* "a.b.c" inside obj; NULL when a step is missing or not an object. */
const json_t *metric_field(const json_t *obj, const char *path);

#endif
