#!/bin/sh
# Any helper can die and come back (SPEC §2): kill -9 sysd, arpd and capd in
# turn. The reporter keeps emitting one snapshot per cycle, marks the helper
# "missing", and when the helper is started again shows it "connected" with a
# new instanceId and its instance count up by one. capd's counters never go
# backwards across its restart, and keep counting after it.
. tests/integration/lib.sh

nmt_init restart veth
nmt_config
# steady traffic through veth0 for capd to count: 10 UDP datagrams a second
# from the peer namespace (nobody listens; the kernel answers with ICMP)
nmt_udp_traffic 88 0.1
nmt_start_all
first=$(nmt_lines)

nmt_wait 5 "capd counting the test traffic" \
	sh -c "[ \"\$($NMT_PY $NMT_DIR/snapshots.py field $NMT_SNAPS network.capture.packets)\" -gt 0 ]"

restart_one() { # ROLE PIDVAR
	local role=$1 pidvar=$2 pid old_inst old_n new_pid new_inst new_n
	eval pid=\$$pidvar
	old_inst=$(nmt_helper "$role" instanceId)
	old_n=$(nmt_helper "$role" instances)
	[ -n "$old_inst" ] && [ -n "$old_n" ] || nmt_fail "$role: no instanceId/instances in the snapshot"

	nmt_kill9 "$pid"
	nmt_say "$role: killed pid $pid (instance $old_inst, instances $old_n)"
	# the reporter sees the socket close at once; allow two cycles for the snapshot
	nmt_wait 3 "$role marked missing" nmt_helper_is "$role" state missing
	# ... and it stays missing while the helper is away
	sleep 2
	nmt_helper_is "$role" state missing || nmt_fail "$role: state is '$(nmt_helper "$role" state)' while it is dead"
	nmt_alive "$NMT_REPORTER" || nmt_fail "the reporter died after $role was killed"

	nmt_start "$role"
	new_pid=$NMT_PID
	eval $pidvar=$new_pid
	nmt_wait 10 "$role connected again" nmt_helper_is "$role" pid "$new_pid"
	nmt_helper_is "$role" state connected || nmt_fail "$role: state '$(nmt_helper "$role" state)' after restart"
	new_inst=$(nmt_helper "$role" instanceId)
	new_n=$(nmt_helper "$role" instances)
	[ -n "$new_inst" ] && [ "$new_inst" != "$old_inst" ] ||
		nmt_fail "$role: instanceId '$new_inst' after restart, was '$old_inst'"
	[ "$new_n" -eq $((old_n + 1)) ] || nmt_fail "$role: instances $new_n after restart, was $old_n"
	nmt_say "$role: back as pid $new_pid, instance $new_inst, instances $new_n"
}

restart_one sysd NMT_SYSD
restart_one arpd NMT_ARPD
packets_before=$(nmt_snap field network.capture.packets)
restart_one capd NMT_CAPD
# the new capd counts too: the total grows past what the old one had counted
nmt_wait 5 "capture.packets growing after capd's restart (was $packets_before)" \
	sh -c "[ \"\$($NMT_PY $NMT_DIR/snapshots.py field $NMT_SNAPS network.capture.packets)\" -gt $packets_before ]"
sleep 1

nmt_all_connected || nmt_fail "not all helpers are connected at the end"
nmt_alive "$NMT_REPORTER" || nmt_fail "the reporter exited"
nmt_validate
nmt_snap check "$NMT_SERVER_ID" "$((first + 1))" || nmt_fail "snapshot envelope"
nmt_snap cadence "$NMT_CYCLE" "$((first + 1))" || nmt_fail "a cycle without a snapshot"
nmt_snap monotonic || nmt_fail "a counter went backwards"
for r in sysd arpd capd; do
	[ "$(nmt_helper $r connects)" -ge 2 ] || nmt_fail "$r: connects is $(nmt_helper $r connects)"
done
nmt_say "PASS"
