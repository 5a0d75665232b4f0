#!/bin/sh
# time-limit: 120
# Per-process restart under a real supervisor from Debian (runit: runsvdir +
# runsv, one service directory per daemon, as a packager without systemd
# would set it up). kill -9 each of the four processes in turn, by pid:
# runsv starts it again; the reporter comes back and emits a snapshot every
# cycle from then on through every helper's death; each helper reconnects
# with a new instance; capture and device counters never go back (from the
# reporter's restart on: the reporter keeps its totals only in memory) and keep
# growing after capd's restart.
. tests/integration/lib.sh

command -v runsvdir >/dev/null 2>&1 && command -v sv >/dev/null 2>&1 ||
	nmt_skip "needs runit (runsvdir, sv): run 'make deps' as root"
nmt_init supervise veth
# no ARP sweeps: each arpd restart would sweep the /24 again, a burst of
# ~500 frames the steady-rate check below would take for double counting
nmt_config "[arpd]
active_scan = no"
SV=$NMT_TMP/sv
RUNSVDIR=""

# the supervisor goes first on the way out: runsv would restart what
# nmt_cleanup kills. SIGHUP makes runsvdir TERM every runsv, which TERMs its
# daemon and exits.
sup_stop() {
	[ -n "$RUNSVDIR" ] || return 0
	SVDIR=$SV timeout 10 sv -w 5 force-stop "$SV"/* >/dev/null 2>&1
	SVDIR=$SV timeout 5 sv exit "$SV"/* >/dev/null 2>&1
	kill -HUP "$RUNSVDIR" 2>/dev/null
	n=0
	while kill -0 "$RUNSVDIR" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
	nmt_untrack "$RUNSVDIR"
	kill -KILL "$RUNSVDIR" 2>/dev/null
	wait "$RUNSVDIR" 2>/dev/null
	RUNSVDIR=""
}
trap 'st=$?; sup_stop; (exit $st); nmt_cleanup' EXIT

# one runit service per daemon, each in the test's netns
for r in reporter sysd arpd capd; do
	mkdir -p "$SV/$r"
	out=/dev/null
	[ "$r" = reporter ] && out=$NMT_SNAPS
	cat >"$SV/$r/run" <<RUN
#!/bin/sh
exec 2>>"$NMT_TMP/$r.log"
exec ip netns exec "$NMT_NS" "$(pwd)/$NMT_BIN/netmon-$r" -c "$NMT_CONF" >>"$out"
RUN
	chmod 755 "$SV/$r/run"
done
# steady traffic for capd: 10 UDP datagrams a second from the peer
nmt_udp_traffic 88 0.1
nmt_bg runsvdir -P "$SV"
RUNSVDIR=$NMT_PID

svpid() { cat "$SV/$1/supervise/pid" 2>/dev/null; }
running() { p=$(svpid "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
for r in reporter sysd arpd capd; do nmt_wait 10 "runsv started $r" running "$r"; done
nmt_wait 15 "all helpers connected under runit" nmt_all_connected
for r in capd arpd sysd; do
	[ "$(nmt_helper $r pid)" = "$(svpid $r)" ] || nmt_fail "$r: the snapshot's pid is not runsv's child"
done
nmt_say "under runit: reporter $(svpid reporter), sysd $(svpid sysd), arpd $(svpid arpd), capd $(svpid capd)"

kill9_restarted() { # ROLE -> waits for a new live pid
	local role=$1 old new
	old=$(svpid "$role")
	kill -KILL "$old"
	nmt_wait 10 "runsv restarting $role (was pid $old)" \
		sh -c "p=\$(cat '$SV/$role/supervise/pid' 2>/dev/null); [ -n \"\$p\" ] && [ \"\$p\" != $old ] && kill -0 \$p"
	new=$(svpid "$role")
	nmt_say "$role: killed pid $old, runsv restarted it as pid $new"
}

# 1. the reporter: the snapshots stop, then resume with every helper back
before=$(nmt_lines)
kill9_restarted reporter
nmt_wait 10 "snapshots after the reporter's restart" sh -c "[ \$(wc -l <'$NMT_SNAPS') -gt $before ]"
from=$(($(nmt_lines) + 1))
nmt_wait 15 "every helper reconnected to the new reporter" nmt_all_connected
nmt_wait 5 "capd counting again" \
	sh -c "[ \"\$($NMT_PY $NMT_DIR/snapshots.py field $NMT_SNAPS network.capture.packets)\" -gt 0 ]"

# 2. each helper in turn: missing, then connected again as a new instance
for r in capd arpd sysd; do
	inst=$(nmt_helper $r instanceId)
	packets=$(nmt_snap field network.capture.packets)
	kill9_restarted "$r"
	new=$(svpid "$r")
	nmt_wait 10 "$r reconnected as pid $new" nmt_helper_is "$r" pid "$new"
	nmt_helper_is "$r" state connected || nmt_fail "$r: state '$(nmt_helper $r state)' after its restart"
	[ "$(nmt_helper $r instanceId)" != "$inst" ] || nmt_fail "$r: same instanceId after a restart"
	if [ "$r" = capd ]; then
		nmt_wait 5 "capture.packets growing past $packets after capd's restart" \
			sh -c "[ \"\$($NMT_PY $NMT_DIR/snapshots.py field $NMT_SNAPS network.capture.packets)\" -gt $packets ]"
	fi
done
sleep 2

# checks on a frozen copy of the complete lines, while the reporter still runs
# (cadence also wants the newest snapshot to be recent)
n=$(nmt_lines)
head -n "$n" "$NMT_SNAPS" >"$NMT_TMP/frozen.jsonl"
tail -n +"$from" "$NMT_TMP/frozen.jsonl" >"$NMT_TMP/after-reporter.jsonl"
"$NMT_PY" "$NMT_DIR/snapshots.py" cadence "$NMT_TMP/frozen.jsonl" "$NMT_CYCLE" "$from" ||
	nmt_fail "a cycle without a snapshot while helpers were killed"
"$NMT_PY" "$NMT_DIR/snapshots.py" monotonic "$NMT_TMP/after-reporter.jsonl" ||
	nmt_fail "a counter went back after a helper's restart"
# no double counting: a helper coming back must not add its predecessor's
# totals again, which would show as one window far above the steady rate
"$NMT_PY" - "$NMT_TMP/after-reporter.jsonl" <<'PY' || nmt_fail "a counter jumped after a restart (double counting)"
import json, statistics, sys
snaps = [json.loads(l) for l in open(sys.argv[1])]
pk = [s["network"]["capture"]["packets"] for s in snaps]
d = [b - a for a, b in zip(pk, pk[1:])]
med = statistics.median(d)
limit = 2 * med + 5
worst = max(d)
print("capture.packets per cycle: median %g, largest %d (limit %g)" % (med, worst, limit))
sys.exit(0 if worst <= limit else 1)
PY
"$NMT_PY" "$NMT_DIR/snapshots.py" check "$NMT_TMP/frozen.jsonl" "$NMT_SERVER_ID" ||
	nmt_fail "snapshot envelope"
for r in capd arpd sysd; do
	[ "$(nmt_helper $r connects)" -ge 2 ] || nmt_fail "$r: connects is $(nmt_helper $r connects) after its restart"
done
nmt_all_connected || nmt_fail "not every helper connected at the end"

# the supervisor stops everything it started
pids="$(svpid reporter) $(svpid sysd) $(svpid arpd) $(svpid capd)"
sup_stop
for p in $pids; do
	kill -0 "$p" 2>/dev/null && nmt_fail "pid $p is still running after runit stopped"
done
nmt_validate
nmt_say "PASS"
