#!/bin/sh
# The otlp: body against the official OTLP protobuf definitions: the .proto
# files from the npm registry (@opentelemetry/otlp-grpc-exporter-base ships
# opentelemetry-proto), compiled with protoc, and protobuf's strict JSON
# decoder on every request rendered from tests/outputs/snapshots.jsonl (hostile
# names, 64-bit counters, snapshots without sysd). Values are checked against
# the payload (tests/outputs/otlp_check.py). Skips without protoc, python3's
# protobuf or the npm registry.
# time-limit: 180
set -u
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
PROTO_PKG=@opentelemetry/otlp-grpc-exporter-base@0.38.0
command -v protoc >/dev/null 2>&1 || { echo "SKIP: needs protoc (protobuf-compiler)"; exit 77; }
$PY -c 'import google.protobuf' 2>/dev/null || { echo "SKIP: needs python3-protobuf"; exit 77; }
[ -x build/tools/metrics_render ] || { echo "build/tools/metrics_render missing: make first"; exit 1; }
cache=build/otlp-proto
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
if [ ! -f "$cache/py/opentelemetry/proto/collector/metrics/v1/metrics_service_pb2.py" ]; then
	command -v npm >/dev/null 2>&1 || { echo "SKIP: needs npm to fetch the OTLP .proto files"; exit 77; }
	(cd "$tmp" && timeout 90 npm pack --silent "$PROTO_PKG" >/dev/null 2>&1) ||
		{ echo "SKIP: cannot fetch $PROTO_PKG from the npm registry"; exit 77; }
	tar xzf "$tmp"/*.tgz -C "$tmp"
	rm -rf "$cache"
	mkdir -p "$cache/py"
	cp -r "$tmp/package/build/protos" "$cache/protos"
	(cd "$cache/protos" && protoc --python_out=../py $(find opentelemetry -name '*.proto')) ||
		{ echo "protoc failed"; exit 1; }
fi
build/tools/metrics_render otlp <tests/outputs/snapshots.jsonl >"$tmp/otlp.jsonl" || exit 1
$PY tests/outputs/otlp_check.py "$cache/py" tests/outputs/snapshots.jsonl "$tmp/otlp.jsonl"
