#!/bin/sh
# The units' privilege model, without systemd: each daemon started the way its
# unit starts it -- already as its (unprivileged) user, no_new_privs set,
# capd/arpd with CAP_NET_RAW as their only ambient and bounding capability,
# sysd/reporter with none, run_dir and state_dir made beforehand
# (RuntimeDirectory=, StateDirectory=) --
# opens what it needs, drops the rest, confines itself and works. Emulated
# with setpriv(1), as systemd's User=, NoNewPrivileges=, AmbientCapabilities=
# and CapabilityBoundingSet= would set it. And without the capability capd
# says what it needs and exits 1.
. tests/integration/lib.sh

command -v setpriv >/dev/null 2>&1 || nmt_skip "needs setpriv (util-linux)"
nmt_init unitpriv veth
nmt_config
# RuntimeDirectory=netmon and StateDirectory=netmon: the directories exist,
# owned by the service user
mkdir -m 0750 "$NMT_TMP/run" "$NMT_TMP/state"
chown nobody:nogroup "$NMT_TMP/run" "$NMT_TMP/state"

as_unit() { # ROLE CAPS("" or net_raw) -> like the unit: User=, NoNewPrivileges=, caps
	local role=$1 caps=$2 set
	set="--reuid=nobody --regid=nogroup --clear-groups --nnp"
	if [ -n "$caps" ]; then
		set="$set --inh-caps=-all,+$caps --ambient-caps=-all,+$caps --bounding-set=-all,+$caps"
	else
		set="$set --inh-caps=-all --bounding-set=-all"
	fi
	ip netns exec "$NMT_NS" setpriv $set "$NMT_BIN/netmon-$role" -c "$NMT_CONF" \
		>>"$( [ "$role" = reporter ] && echo "$NMT_SNAPS" || echo /dev/null)" 2>>"$NMT_TMP/$role.log" &
	NMT_PID=$!
	nmt_track "$NMT_PID"
}

# without the capability: one clear line, exit 1, not a crash
ip netns exec "$NMT_NS" setpriv --reuid=nobody --regid=nogroup --clear-groups --nnp \
	--inh-caps=-all --bounding-set=-all "$NMT_BIN/netmon-capd" -c "$NMT_CONF" 2>"$NMT_TMP/nocap.err"
st=$?
[ "$st" -eq 1 ] || nmt_fail "capd without CAP_NET_RAW exited $st, not 1"
grep -q 'needs CAP_NET_RAW or root' "$NMT_TMP/nocap.err" ||
	nmt_fail "capd without CAP_NET_RAW did not say so: $(cat "$NMT_TMP/nocap.err")"

as_unit reporter ""
REP=$NMT_PID
nmt_wait 5 "the reporter's sockets" test -S "$NMT_TMP/run/capd.sock"
as_unit sysd ""
SYSD=$NMT_PID
as_unit arpd net_raw
ARPD=$NMT_PID
as_unit capd net_raw
CAPD=$NMT_PID
nmt_wait 10 "all three helpers connected" nmt_all_connected

status_of() { grep "^$2:" "/proc/$1/status" | awk '{ print $2 }'; }
for pair in reporter:$REP sysd:$SYSD arpd:$ARPD capd:$CAPD; do
	role=${pair%%:*} pid=${pair#*:}
	nmt_alive "$pid" || nmt_fail "$role exited"
	for f in CapInh CapPrm CapEff CapAmb; do
		[ "$(status_of "$pid" $f)" = 0000000000000000 ] || nmt_fail "$role: $f is $(status_of "$pid" $f)"
	done
	[ "$(status_of "$pid" NoNewPrivs)" = 1 ] || nmt_fail "$role: no_new_privs not set"
	[ "$(status_of "$pid" Seccomp)" = 2 ] || nmt_fail "$role: no seccomp filter"
	bnd=$(status_of "$pid" CapBnd)
	case $role in
	capd|arpd) want=0000000000002000 ;;   # CAP_NET_RAW (13) only, as CapabilityBoundingSet=
	*) want=0000000000000000 ;;
	esac
	[ "$bnd" = "$want" ] || nmt_fail "$role: CapBnd $bnd, want $want"
	nmt_say "$role (pid $pid): no capabilities, bounding set $bnd, no_new_privs, seccomp"
done
# capd captures with the ambient capability it was given, then dropped
nmt_bg ip netns exec "$NMT_PEER" "$NMT_PY" -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(50):
    s.sendto(b"x" * 100, ("198.18.0.1", 9)); time.sleep(0.02)'
nmt_wait 10 "capd counting traffic" \
	sh -c "[ \"\$($NMT_PY $NMT_DIR/snapshots.py field $NMT_SNAPS network.capture.packets)\" -gt 20 ]"
nmt_stop_all
nmt_validate
nmt_say "PASS"
