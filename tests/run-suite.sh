#!/bin/sh
# The one test driver behind `make check`: unit tests (plain and ASan+UBSan),
# short fuzz runs, and every tests/**/t_*.sh script (exit 0 pass, 77 skip).
# Ends with the line "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-10}
LOGDIR=build/test-logs
mkdir -p "$LOGDIR"
pass=0 fail=0 skip=0 failed=""

record() { # name status
	case "$2" in
	0) pass=$((pass + 1)); echo "PASS: $1" ;;
	77) skip=$((skip + 1)); echo "SKIP: $1" ;;
	*) fail=$((fail + 1)); failed="$failed $1"; echo "FAIL: $1 (exit $2, log $LOGDIR/$(echo "$1" | tr '/ ' '__').log)" ;;
	esac
}

run() { # name cmd...
	name=$1; shift
	log="$LOGDIR/$(echo "$name" | tr '/ ' '__').log"
	"$@" >"$log" 2>&1
	st=$?
	[ $st -ne 0 ] && [ $st -ne 77 ] && tail -n 30 "$log" | sed 's/^/    /'
	record "$name" $st
}

for variant in plain san; do
	for t in build/$variant/tests/test_*; do
		[ -x "$t" ] || continue
		run "unit/$variant/$(basename "$t")" "$t"
	done
done

for f in build/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	name=$(basename "$f"); name=${name#fuzz_}
	work=$(mktemp -d)
	seeds=tests/fuzz/corpus/$name
	mkdir -p "$seeds"
	run "fuzz/$name" "$f" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$LOGDIR/crash-$name-" "$work" "$seeds"
	rm -rf "$work"
done

for s in $(find tests -name 't_*.sh' | sort); do
	run "${s%.sh}" sh "$s"
done

echo
echo "== summary =="
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
