#!/bin/sh
# The suite's time limit works: a test that hangs (with a child that would
# keep running, as a daemon would) is recorded as a FAIL within its limit plus
# the kill grace, and nothing it started survives.
# time-limit: 90
set -u
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
LOGDIR=$tmp pass=0 fail=0 skip=0 failed=""
. tests/suite-lib.sh

cat >"$tmp/hang.sh" <<'EOS'
sleep 1000 &
echo $! >"$1"
trap '' TERM            # a test that ignores SIGTERM still ends: SIGKILL follows
sleep 1000
EOS
start=$(date +%s)
run "hang" 2 sh "$tmp/hang.sh" "$tmp/child.pid" >"$tmp/out"
took=$(($(date +%s) - start))
child=$(cat "$tmp/child.pid")
grep -q '^FAIL: hang (exit 1[23][47]' "$tmp/out" || { echo "not recorded as FAIL:"; cat "$tmp/out"; exit 1; }
grep -q 'TIMEOUT: hang did not finish within 2s' "$tmp/hang.log" || { echo "no TIMEOUT line in the log"; exit 1; }
[ "$fail" -eq 1 ] && [ "$failed" = " hang" ] || { echo "fail=$fail failed=$failed"; exit 1; }
[ "$took" -le 30 ] || { echo "took ${took}s for a 2 s limit"; exit 1; }
sleep 0.5
if kill -0 "$child" 2>/dev/null; then
	kill -KILL "$child"
	echo "the hung test's child $child survived the time limit"
	exit 1
fi
# a test within its limit passes, a skip stays a skip
run "quick" 10 true >/dev/null
run "skipped" 10 sh -c 'exit 77' >/dev/null
[ "$pass" -eq 1 ] && [ "$skip" -eq 1 ] || { echo "pass=$pass skip=$skip"; exit 1; }
echo "a hang is a FAIL after ${took}s, its child is gone"
