#!/bin/sh
# The one test driver behind `make check`: unit tests (plain and ASan+UBSan),
# short fuzz runs, and every tests/**/t_*.sh script (exit 0 pass, 77 skip).
# Ends with the line "N passed, N failed, N skipped".
#
# Every test runs under a time limit (coreutils timeout: SIGTERM to the test's
# whole process group, SIGKILL 15 s later), so a hang is a named FAIL, never a
# run that does not end. Unit tests get UNIT_LIMIT seconds, fuzz runs their
# time plus FUZZ_SLACK, scripts SCRIPT_LIMIT unless they declare their own
# with a line "# time-limit: SECONDS".
set -u
cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-10}
UNIT_LIMIT=${UNIT_LIMIT:-180}
FUZZ_SLACK=${FUZZ_SLACK:-120}
SCRIPT_LIMIT=${SCRIPT_LIMIT:-300}
LOGDIR=build/test-logs
mkdir -p "$LOGDIR"
pass=0 fail=0 skip=0 failed=""

# run() and record() live in tests/suite-lib.sh (tests/t_suite_limits.sh tests
# them); each test runs as: timeout -k 15 "$limit" CMD, limit from its kind.
. tests/suite-lib.sh

for variant in plain san; do
	for t in build/$variant/tests/test_*; do
		[ -x "$t" ] || continue
		run "unit/$variant/$(basename "$t")" "$UNIT_LIMIT" "$t"
	done
done

for f in build/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	name=$(basename "$f"); name=${name#fuzz_}
	work=$(mktemp -d)
	seeds=tests/fuzz/corpus/$name
	mkdir -p "$seeds"
	run "fuzz/$name" $((FUZZ_SECONDS + FUZZ_SLACK)) "$f" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$LOGDIR/crash-$name-" "$work" "$seeds"
	rm -rf "$work"
done

for s in $(find tests -name 't_*.sh' | sort); do
	run "${s%.sh}" "$(script_limit "$s")" sh "$s"
done

echo
echo "== summary =="
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
