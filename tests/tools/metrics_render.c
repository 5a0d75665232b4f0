/*
 * metrics_render prom|otlp < snapshots.jsonl: each snapshot line rendered as
 * the prometheus: output's text, or as the otlp: output's request body (one
 * JSON line each). For the tests that hand the output to real consumers
 * (promtool, Prometheus, a strict OTLP protobuf decoder).
 * metrics_render table: the metric table as the Markdown rows docs/outputs.md
 * holds (tests/outputs/t_outputs_docs.sh compares the two).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reporter/metricmap.h"
#include "reporter/otlp.h"
#include "reporter/prom.h"

static void labels(const struct metric_row *r, bool otel)
{
	int n = 0;
	for (int i = 0; i < METRIC_MAX_LABELS; i++) {
		const struct metric_label *l = &r->labels[i];
		const char *name = otel ? l->otel : l->prom;
		const char *fixed = otel ? l->otel_value : l->prom_value;
		if (!name)
			continue;
		printf("%s`%s`", n++ ? ", " : "", name);
		if (fixed)
			printf("=%s", fixed);
	}
	if (!n)
		printf("-");
}

static void print_table(void)
{
	static const char *kinds[] = { "gauge", "counter", "up-down" };
	printf("| Prometheus | labels | OpenTelemetry | attributes | kind | unit | payload field |\n");
	printf("|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < metric_rows_n; i++) {
		const struct metric_row *r = &metric_rows[i];
		printf("| %s%s%s | ", r->prom ? "`" : "", r->prom ? r->prom : "-", r->prom ? "`" : "");
		labels(r, false);
		printf(" | %s%s%s | ", r->otel ? "`" : "", r->otel ? r->otel : "-", r->otel ? "`" : "");
		labels(r, true);
		printf(" | %s | %s | ", kinds[r->kind], r->unit);
		if (r->value)
			printf("`%s%s%s`", r->each ? r->each : "", r->each ? "[]." : "", r->value);
		else
			printf("1 (labels carry the values)");
		if (r->equals)
			printf(" = \"%s\" (1/0)", r->equals);
		if (r->scale != 1)
			printf(" x %g", r->scale);
		printf(" |\n");
	}
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "table") == 0) {
		print_table();
		return 0;
	}
	if (argc != 2 || (strcmp(argv[1], "prom") != 0 && strcmp(argv[1], "otlp") != 0)) {
		fprintf(stderr, "usage: metrics_render prom|otlp < snapshots.jsonl\n");
		return 2;
	}
	char *line = NULL;
	size_t cap = 0;
	int bad = 0;
	while (getline(&line, &cap, stdin) > 0) {
		json_error_t e;
		json_t *snap = json_loads(line, 0, &e);
		if (!snap) {
			fprintf(stderr, "metrics_render: line %d: %s\n", e.line, e.text);
			bad = 1;
			continue;
		}
		if (argv[1][0] == 'p') {
			size_t len;
			char *t = prom_render(snap, &len);
			if (t)
				fwrite(t, 1, len, stdout);
			free(t);
		} else {
			json_t *req = otlp_build(snap);
			if (!req) {
				fprintf(stderr, "metrics_render: snapshot without a valid snapshotTime\n");
				bad = 1;
			} else {
				json_dumpf(req, stdout, JSON_COMPACT);
				putchar('\n');
			}
			json_decref(req);
		}
		json_decref(snap);
	}
	free(line);
	return bad;
}
