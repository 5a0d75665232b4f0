#!/bin/sh
# time-limit: 90
# netmon-sysd's command line: --once --dump on the fixture trees (no config,
# no privilege needed), the values it must print, what it must leave out of
# a malformed tree (with a log line naming each problem, exit 0), and usage
# errors (exit 2). The output's pieces match docs/payload.schema.json.
set -u
cd "$(dirname "$0")/../.." || exit 1
SYSD=build/netmon-sysd
PY=/usr/bin/python3
[ -x "$SYSD" ] || { echo "FAIL: $SYSD missing (make all)"; exit 1; }
TMP=$(mktemp -d /tmp/nmt-sysdcli.XXXXXX) || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# the good tree
timeout 20 "$SYSD" --once --dump --interval 0.05 --root "$PWD/tests/sysd/fixtures/basic" \
	>"$TMP/basic.json" 2>"$TMP/basic.err" || fail "--once --dump on the basic tree: exit $?"
"$PY" - "$TMP/basic.json" <<'PYEOF' || fail "basic tree: wrong values (above)"
import json, sys
d = json.load(open(sys.argv[1]))
m = d["metrics"]
want = {"totalBytes": 8192000000, "usedBytes": 3584000000, "freeBytes": 5120000000,
        "percentUsed": 37.5, "swapTotalBytes": 2048000000, "swapUsedBytes": 512000000}
bad = [k for k in want if m["memory"].get(k) != want[k]]
if bad: sys.exit("memory %s: %s" % (bad, m["memory"]))
if m["uptimeSeconds"] != 12345: sys.exit("uptime %s" % m["uptimeSeconds"])
if m["cpu"]["loadAverage"] != [0.52, 1.25, 2.0]: sys.exit("load %s" % m["cpu"]["loadAverage"])
if m["cpu"]["cpusOnline"] != 2: sys.exit("online %s" % m["cpu"]["cpusOnline"])
if m["cpu"]["percent"] != 0: sys.exit("cpu %s (the same file twice: no busy time)" % m["cpu"]["percent"])
if [x["mount"] for x in m["disk"]][:1] != ["/"]: sys.exit("disks %s" % m["disk"])
PYEOF

# the malformed tree: everything wrong is left out and named, nothing crashes
timeout 20 "$SYSD" --once --dump --interval 0.05 --root "$PWD/tests/sysd/fixtures/malformed" \
	>"$TMP/bad.json" 2>"$TMP/bad.err" || fail "--once --dump on the malformed tree: exit $?"
for msg in "stat: malformed cpu line" "stat: no valid 'cpu' line" \
	"meminfo: MemAvailable: malformed value, left out" "loadavg: malformed" \
	"uptime: malformed, left out" "cpu/online: malformed" \
	"mountinfo: a ext4 mount point is not valid UTF-8, left out" "mountinfo: no file system type"; do
	grep -qF "$msg" "$TMP/bad.err" || fail "malformed tree: no log line '$msg'"
done
"$PY" - "$TMP/bad.json" <<'PYEOF' || fail "malformed tree: wrong output (above)"
import json, sys
m = json.load(open(sys.argv[1]))["metrics"]
if m["cpu"] != {}: sys.exit("cpu should be empty: %s" % m["cpu"])
if m["memory"] != {"totalBytes": 8192000000, "usedBytes": 8191897600}:
    sys.exit("memory should hold total and used only: %s" % m["memory"])
if "uptimeSeconds" in m: sys.exit("uptime from a cut line")
if [d["mount"] for d in m["disk"]] != ["/"]: sys.exit("disks %s" % m["disk"])
PYEOF

# both outputs against the payload schema's definitions
"$PY" - "$TMP/basic.json" "$TMP/bad.json" <<'PYEOF' || fail "--dump output does not match docs/payload.schema.json"
import json, sys
import jsonschema
s = json.load(open("docs/payload.schema.json"))
for path in sys.argv[1:]:
    d = json.load(open(path))
    jsonschema.validate(d["metrics"], {"$defs": s["$defs"], "$ref": "#/$defs/metrics"})
    for i in d["interfaces"]:
        jsonschema.validate(i, {"$defs": s["$defs"], "$ref": "#/$defs/interface"})
PYEOF

# usage errors: exit 2 with one line naming the problem
usage() { # WANT-IN-MESSAGE ARGS...
	local want=$1
	shift
	"$SYSD" "$@" >/dev/null 2>"$TMP/usage.err"
	st=$?
	[ $st -eq 2 ] || fail "netmon-sysd $*: exit $st, want 2"
	grep -qF -e "$want" "$TMP/usage.err" || fail "netmon-sysd $*: message lacks '$want': $(cat "$TMP/usage.err")"
}
usage "--dump needs --once" --dump
usage "--interval needs --once" --interval 2
usage "--interval: '0' is not a number" --once --interval 0
usage "--interval: 'abc' is not a number" --once --interval abc
usage "--root: 'rel' is not an absolute path" --once --root rel
usage "unexpected argument 'extra'" --once extra

# a bad interface glob: --check-config refuses it, naming the file and the key
printf '[sysd]\ninterfaces_include = eth*,,lo\n' >"$TMP/bad.conf"
chmod 644 "$TMP/bad.conf"
"$SYSD" -c "$TMP/bad.conf" --check-config >/dev/null 2>"$TMP/cc.err"
st=$?
[ $st -eq 1 ] || fail "--check-config with an empty glob: exit $st, want 1"
grep -qF -e "$TMP/bad.conf: [sysd] interfaces_include:" "$TMP/cc.err" ||
	fail "--check-config with an empty glob: $(cat "$TMP/cc.err")"

[ $fails -eq 0 ] && echo "PASS: netmon-sysd command line and fixture trees"
[ $fails -eq 0 ]
