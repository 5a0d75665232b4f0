#!/bin/sh
# The reporter's sockets are a trust boundary (SPEC §9, docs/protocol.md):
# (a) a peer with a uid the config does not allow is refused and logged with
#     its uid, even when file permissions let it connect;
# (b) a peer with the right uid (nobody) that sends garbage is refused with a
#     log line per connection, for every class of bad input;
# and throughout, the reporter keeps running and emitting one snapshot per
# cycle, and the real helpers stay connected or come back.
. tests/integration/lib.sh

nmt_init peers veth
nmt_config
nmt_start_all
first=$(nmt_lines)
rd=$NMT_TMP/run
sock_gid=$(stat -c %g "$rd/sysd.sock")
log=$NMT_TMP/reporter.log
CLIENT="$NMT_PY $NMT_DIR/wire_client.py"

# Run the bad client as UID:GID; sets $out (its output) and $rc (its exit status).
client() { # UID GID SOCKET CASE
	out=$(ip netns exec "$NMT_NS" setpriv --reuid "$1" --regid "$2" --clear-groups \
		$CLIENT "$rd/$3.sock" "$4" 2>&1)
	rc=$?
}
client_pid() { echo "$out" | sed -n 's/^pid \([0-9]*\)$/\1/p'; }

# The reporter's log line for that client (it names the peer's pid and uid).
expect_refusal() { # SOCKET UID REASON(empty = any) WHAT
	local pid
	pid=$(client_pid)
	[ -n "$pid" ] || nmt_fail "$4: the client printed no pid: $out"
	[ "$rc" -eq 0 ] || nmt_fail "$4: the reporter did not close the connection (client exit $rc: $out)"
	nmt_wait 3 "the reporter's log line for $4" \
		grep -qF "$1.sock: refused peer pid $pid uid $2: $3" "$log"
	nmt_say "refused: $4 -> $(grep -F "refused peer pid $pid " "$log" | head -n 1 | sed 's/.*: refused/refused/')"
}

sysd_rejected_before=$(nmt_helper sysd rejectedPeers)
cases=0

# --- (a) a foreign uid -------------------------------------------------------
# With the socket's group it passes the file permissions and reaches accept():
# SO_PEERCRED must stop it.
for sock in sysd arpd capd; do
	client 4242 "$sock_gid" "$sock" random
	expect_refusal "$sock" 4242 "uid not allowed for this socket" "uid 4242 on $sock.sock"
done
cases=$((cases + 1))
# Without the group, the file permissions already keep it out.
client 4242 4242 sysd random
[ "$rc" -eq 4 ] || nmt_fail "uid 4242 without the socket's group could connect: $out"
nmt_say "uid 4242 without group $sock_gid: $(echo "$out" | tail -n 1)"

# --- (b) the right uid, bad records --------------------------------------------
nobody=$(id -u nobody)
nobody_gid=$(id -g nobody)

# the HELLO timeout takes 5 s: start that client now, check it at the end
ip netns exec "$NMT_NS" setpriv --reuid "$nobody" --regid "$nobody_gid" --clear-groups \
	$CLIENT "$rd/sysd.sock" silent >"$NMT_TMP/silent.out" 2>&1 &
silent_pid=$!
nmt_track "$silent_pid"

# case | expected reason in the reporter's log (docs/protocol.md); empty = any
while IFS='|' read -r case reason; do
	[ -n "$case" ] || continue
	client "$nobody" "$nobody_gid" sysd "$case"
	expect_refusal sysd "$nobody" "$reason" "$case"
	cases=$((cases + 1))
done <<'EOF'
random|
short|record shorter than its header
too-long|record longer than the maximum
version|unsupported protocol version
length-field|length field does not match the message size
flags|invalid field value
unknown-type|unknown record type
empty-header|payload size wrong for the record type
wrong-size|payload size wrong for the record type
other-role|HELLO names another role
zero-instance|invalid field value
hello-proto|invalid field value
before-hello|first record is not HELLO with sequence 1
hello-seq2|first record is not HELLO with sequence 1
seq-gap|sequence number out of order
seq-repeat|sequence number out of order
second-hello|record type not allowed for this role
type-for-role|record type not allowed for this role
hb-size|payload size wrong for the record type
EOF

# a record type for another role, on arpd's socket too
client "$nobody" "$nobody_gid" arpd type-for-role
expect_refusal arpd "$nobody" "record type not allowed for this role" "cap_stats on arpd.sock"

wait "$silent_pid"
rc=$?
nmt_untrack "$silent_pid"
out=$(cat "$NMT_TMP/silent.out")
expect_refusal sysd "$nobody" "no HELLO in time" "silent peer"
cases=$((cases + 1))

# --- throughout: the reporter carried on ----------------------------------------
nmt_alive "$NMT_REPORTER" || nmt_fail "the reporter exited"
# clients with a valid HELLO replace the real sysd (docs/protocol.md rule 5);
# it notices on its next send and reconnects
nmt_wait 10 "all helpers connected again" nmt_all_connected
for r in capd arpd sysd; do
	eval want=\$NMT_$(echo $r | tr a-z A-Z)
	nmt_alive "$want" || nmt_fail "$r (pid $want) exited"
	[ "$(nmt_helper $r pid)" = "$want" ] || nmt_fail "$r: the snapshot names pid $(nmt_helper $r pid), not $want"
done
rejected=$(nmt_helper sysd rejectedPeers)
[ "$rejected" -ge $((sysd_rejected_before + cases)) ] ||
	nmt_fail "sysd rejectedPeers is $rejected, want at least $((sysd_rejected_before + cases))"
nmt_validate
nmt_snap check "$NMT_SERVER_ID" || nmt_fail "snapshot envelope"
nmt_snap cadence "$NMT_CYCLE" "$((first + 1))" || nmt_fail "a cycle without a snapshot"
nmt_say "$cases refusals on sysd.sock counted (rejectedPeers $rejected); PASS"
