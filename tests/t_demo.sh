#!/bin/sh
# time-limit: 200
# `make demo` in its short mode (DEMO_CYCLES=3, the script directly: make
# check has built the binaries): exits 0, prints a table per snapshot whose
# devices have non-zero rates, saves JSON that matches the schema, and leaves
# nothing behind: no namespace, no process using its files, no /etc/netns
# entry, no user it created. Then once more, interrupted by Ctrl-C (SIGINT to
# its process group) after the first table: status 130 at once, nothing left.
set -u
cd "$(dirname "$0")/.." || exit 1
[ "$(id -u)" = 0 ] || { echo "SKIP: the demo needs root (network namespaces)"; exit 77; }
[ -x build/netmon-reporter ] || { echo "FAIL: build/netmon-reporter missing (make all)"; exit 1; }
log=$(mktemp /tmp/nmt-demo.XXXXXX) || exit 1
trap 'rm -f "$log" "$log.int"' EXIT
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
had_user=no
getent passwd netmon-capd >/dev/null && had_user=yes

DEMO_CYCLES=3 timeout -k 5 120 sh demo/run.sh >"$log" 2>&1
st=$?
cat "$log"
[ "$st" -eq 0 ] || bad "demo exited with status $st"

prefix=$(sed -n 's/.* on namespaces \(nmd[0-9]*\)-\*.*/\1/p' "$log" | head -n 1)
tmp=$(sed -n 's/.*working files in \([^ ]*\) .*/\1/p' "$log" | head -n 1)
out=$(sed -n 's/.*Saved: \(.*\)\/$/\1/p' "$log" | tail -n 1)
[ -n "$prefix" ] || bad "the demo did not name its namespaces"
if [ -n "$prefix" ]; then
	left=$(ip netns list | grep "^$prefix-" || true)
	[ -z "$left" ] || bad "namespaces left behind: $left"
	[ ! -e "/etc/netns/$prefix-mon" ] || bad "/etc/netns/$prefix-mon left behind"
fi
if [ -n "$tmp" ]; then
	[ ! -e "$tmp" ] || bad "working directory $tmp left behind"
	for c in /proc/[0-9]*/cmdline; do
		if tr '\0' ' ' 2>/dev/null <"$c" | grep -q "$tmp"; then
			bad "process ${c#/proc/} still uses $tmp: $(tr '\0' ' ' <"$c")"
		fi
	done
fi
if [ "$had_user" = no ] && getent passwd netmon-capd >/dev/null; then
	bad "the demo created user netmon-capd and did not remove it"
fi

# three tables, and devices with traffic in them
[ "$(grep -c '^━━ snapshot [0-9]*/3 ' "$log")" -eq 3 ] || bad "not three snapshot tables"
moving=$(grep -E '^198\.18\.0\.[0-9]+ ' "$log" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /bit\/s$/ && $(i-1) + 0 > 0) { print; break } }' | wc -l)
[ "$moving" -ge 5 ] || bad "only $moving device rows with a non-zero rate"
grep -q 'helpers   capd connected   arpd connected   sysd connected' "$log" || bad "not every helper connected"
grep -q 'joins the LAN' "$log" || bad "no host joined"
grep -q 'leaves the LAN' "$log" || bad "no host left"

if [ -n "$out" ] && [ -s "$out/snapshots.jsonl" ]; then
	/usr/bin/python3 tests/tools/validate_payload.py "$out/snapshots.jsonl" || bad "saved JSON does not match the schema"
	[ -s "$out/table.txt" ] || bad "no table.txt beside the JSON"
	rm -rf "$out"
else
	bad "no saved snapshots.jsonl (out '$out')"
fi
# Ctrl-C in the middle: SIGINT to the demo's whole process group, as a
# terminal sends it; it must stop at once (130) and leave nothing behind
/usr/bin/python3 - "$log.int" <<'PY' || bad "Ctrl-C: the demo did not stop cleanly"
import os, signal, subprocess, sys, time
out = open(sys.argv[1], "w")
p = subprocess.Popen(["sh", "demo/run.sh"], env=dict(os.environ, DEMO_CYCLES="50"),
                     stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
deadline = time.time() + 60
while time.time() < deadline and "snapshot 1/50" not in open(sys.argv[1]).read():
    time.sleep(0.2)
os.killpg(p.pid, signal.SIGINT)
try:
    rc = p.wait(timeout=15)
except subprocess.TimeoutExpired:
    os.killpg(p.pid, signal.SIGKILL)
    sys.exit("still running 15 s after Ctrl-C")
sys.exit(0 if rc == 130 else "exit status %d after Ctrl-C, not 130" % rc)
PY
iprefix=$(sed -n 's/.* on namespaces \(nmd[0-9]*\)-\*.*/\1/p' "$log.int" | head -n 1)
if [ -n "$iprefix" ]; then
	[ -z "$(ip netns list | grep "^$iprefix-")" ] || bad "Ctrl-C: namespaces $iprefix-* left behind"
	[ ! -e "/etc/netns/$iprefix-mon" ] || bad "Ctrl-C: /etc/netns/$iprefix-mon left behind"
else
	bad "Ctrl-C: the interrupted demo did not start"; cat "$log.int"
fi
iout=$(sed -n 's/.*Logs: \(.*\)\/$/\1/p' "$log.int" | tail -n 1)
[ -n "$iout" ] && rm -rf "$iout"
if [ "$had_user" = no ] && getent passwd netmon-capd >/dev/null; then
	bad "Ctrl-C: user netmon-capd left behind"
fi
rm -f "$log.int"

[ "$fails" -eq 0 ] || exit 1
echo "demo ok: $moving device rows with traffic in 3 tables, nothing left behind"
