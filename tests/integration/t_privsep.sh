#!/bin/sh
# Privilege separation really holds (issue #2): started as root, each of the
# four daemons ends up as an unprivileged user with no capability in any set,
# no_new_privs and a seccomp filter, while the three helpers are connected to
# the reporter and the reporter emits well-formed snapshots.
. tests/integration/lib.sh

nmt_init privsep veth
nmt_config
nmt_start_all

# /proc/PID/status of one daemon, checked field by field.
check_status() { # NAME PID
	local name=$1 pid=$2 f v
	f=/proc/$pid/status
	[ -r "$f" ] || nmt_fail "$name (pid $pid) is gone"
	field() { sed -n "s/^$1:[[:space:]]*//p" "$f" | tr -s ' \t' ' '; }

	v=$(field Uid)
	for id in $v; do
		[ "$id" != 0 ] || nmt_fail "$name: Uid is '$v': a uid is still root"
	done
	[ "$(echo "$v" | wc -w)" -eq 4 ] || nmt_fail "$name: cannot read Uid ('$v')"
	v=$(field Gid)
	for id in $v; do
		[ "$id" != 0 ] || nmt_fail "$name: Gid is '$v': a gid is still root"
	done
	v=$(field Groups)
	for id in $v; do
		[ "$id" != 0 ] || nmt_fail "$name: supplementary groups '$v' include root"
	done
	for cap in CapInh CapPrm CapEff CapBnd CapAmb; do
		v=$(field $cap)
		[ -n "$v" ] || nmt_fail "$name: no $cap line"
		[ "$v" = 0000000000000000 ] || nmt_fail "$name: $cap is $v, want 0000000000000000"
	done
	v=$(field NoNewPrivs)
	[ "$v" = 1 ] || nmt_fail "$name: NoNewPrivs is '$v', want 1"
	v=$(field Seccomp)
	[ "$v" = 2 ] || nmt_fail "$name: Seccomp is '$v', want 2 (filter mode)"
	nmt_say "$name pid $pid: Uid $(field Uid | cut -d' ' -f1), no capabilities, NoNewPrivs 1, Seccomp 2"
}

check_status reporter "$NMT_REPORTER"
check_status sysd "$NMT_SYSD"
check_status arpd "$NMT_ARPD"
check_status capd "$NMT_CAPD"

# The same uid as the configured user, not merely "not 0".
nobody=$(id -u nobody)
for p in $NMT_REPORTER $NMT_SYSD $NMT_ARPD $NMT_CAPD; do
	u=$(sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$p/status)
	[ "$u" = "$nobody" ] || nmt_fail "pid $p runs as uid $u, the config says nobody ($nobody)"
done

# run_dir belongs to the reporter's user; the sockets are not world-accessible.
rd=$NMT_TMP/run
[ "$(stat -c %U:%a "$rd")" = "nobody:750" ] ||
	nmt_fail "run_dir is $(stat -c %U:%a "$rd"), want nobody:750"
for r in capd arpd sysd; do
	[ "$(stat -c %U:%a "$rd/$r.sock")" = "nobody:660" ] ||
		nmt_fail "$r.sock is $(stat -c %U:%a "$rd/$r.sock"), want nobody:660"
done

# Let a few cycles pass, then check every snapshot's envelope and cadence.
first=$(nmt_lines)
sleep 3
nmt_validate
nmt_snap check "$NMT_SERVER_ID" || nmt_fail "snapshot envelope"
nmt_snap cadence "$NMT_CYCLE" "$((first + 1))" || nmt_fail "snapshot cadence"
nmt_all_connected || nmt_fail "a helper is no longer connected"
for p in $NMT_REPORTER $NMT_SYSD $NMT_ARPD $NMT_CAPD; do
	nmt_alive "$p" || nmt_fail "pid $p exited"
done
grep -q 'refused peer' "$NMT_TMP/reporter.log" &&
	nmt_fail "the reporter refused one of our own helpers"
nmt_say "PASS"
