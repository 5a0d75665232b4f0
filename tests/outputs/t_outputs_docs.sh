#!/bin/sh
# docs/outputs.md lists exactly the metrics of reporter/metricmap.c: its
# generated section must equal `metrics_render table`; and the prometheus
# text of the fixture snapshots (hostile names included) passes promtool.
# time-limit: 60
set -u
cd "$(dirname "$0")/../.."
[ -x build/tools/metrics_render ] || { echo "build/tools/metrics_render missing: make first"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
sed -n '/<!-- metrics table: begin -->/,/<!-- metrics table: end -->/p' docs/outputs.md |
	sed '1d;$d' >"$tmp/doc"
build/tools/metrics_render table >"$tmp/table"
diff -u "$tmp/doc" "$tmp/table" >"$tmp/diff" ||
	{ echo "docs/outputs.md differs from the metric table (regenerate with build/tools/metrics_render table):"; cat "$tmp/diff"; exit 1; }
echo "docs/outputs.md lists the $(grep -c '^| `\|^| -' "$tmp/table") rows of the metric table"
if command -v promtool >/dev/null 2>&1; then
	while read -r line; do
		printf "%s\n" "$line" | build/tools/metrics_render prom >"$tmp/prom" || exit 1
		promtool check metrics <"$tmp/prom" >"$tmp/lint" 2>&1 || { cat "$tmp/lint"; exit 1; }
		[ -s "$tmp/lint" ] && { echo "promtool:"; cat "$tmp/lint"; exit 1; }
	done <tests/outputs/snapshots.jsonl
	echo "promtool check metrics: clean on every fixture snapshot"
else
	echo "promtool not installed: format check skipped (package prometheus)"
fi
