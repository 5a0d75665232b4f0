#!/bin/sh
# The reporter's sockets are a trust boundary (SPEC §9, docs/protocol.md):
# (a) a peer with a uid the config does not allow is refused and logged with
#     its uid, even when file permissions let it connect;
# (b) a peer with the right uid (nobody) that sends garbage is refused with a
#     log line per connection, for every class of bad input; while sysd is
#     connected not even a good HELLO displaces it;
# (c) with sysd stopped, a peer that says a good HELLO and then breaks the
#     rules (sequence, type, size) is refused too;
# and throughout, the reporter keeps running and emitting one snapshot per
# cycle, and the real helpers stay connected (sysd comes back after (c)).
. tests/integration/lib.sh

nmt_init peers veth
nmt_config
nmt_start_all
first=$(nmt_lines)
rd=$NMT_TMP/run
sock_gid=$(stat -c %g "$rd/sysd.sock")
log=$NMT_TMP/reporter.log
CLIENT="$NMT_PY $NMT_DIR/wire_client.py"
nobody=$(id -u nobody)
nobody_gid=$(id -g nobody)

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

# Run each "case|reason" line of stdin against sysd.sock as nobody.
run_cases() {
	local name reason
	while IFS="|" read -r name reason; do
		[ -n "$name" ] || continue
		client "$nobody" "$nobody_gid" sysd "$name"
		expect_refusal sysd "$nobody" "$reason" "$name"
		cases=$((cases + 1))
	done
}

# sysd as it was at the start: the same connection, never displaced
sysd_unchanged() {
	nmt_helper_is sysd state connected && nmt_helper_is sysd pid "$NMT_SYSD" &&
		nmt_helper_is sysd instanceId "$sysd_instance" && nmt_helper_is sysd connects "$sysd_connects"
}

sysd_instance=$(nmt_helper sysd instanceId)
sysd_connects=$(nmt_helper sysd connects)
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

# --- (b) the right uid, bad records, sysd connected ----------------------------
# the HELLO timeout takes 5 s: start that client now, check it at the end
ip netns exec "$NMT_NS" setpriv --reuid "$nobody" --regid "$nobody_gid" --clear-groups \
	$CLIENT "$rd/sysd.sock" silent >"$NMT_TMP/silent.out" 2>&1 &
silent_pid=$!
nmt_track "$silent_pid"

# case | expected reason in the reporter's log (docs/protocol.md); empty = any
run_cases <<'EOF'
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
hello-only|this role is already connected
seq-gap|this role is already connected
EOF
# a record type for another role, on arpd's socket too (arpd is connected)
client "$nobody" "$nobody_gid" arpd type-for-role
expect_refusal arpd "$nobody" "this role is already connected" "HELLO on arpd.sock"

sleep 1.2 # one more snapshot
sysd_unchanged || nmt_fail "sysd was displaced or disconnected by a bad peer: state $(nmt_helper sysd state)," \
	"pid $(nmt_helper sysd pid) (want $NMT_SYSD), connects $(nmt_helper sysd connects) (was $sysd_connects)"
nmt_say "sysd stayed connected throughout (pid $NMT_SYSD, instance $sysd_instance)"

wait "$silent_pid"
rc=$?
nmt_untrack "$silent_pid"
out=$(cat "$NMT_TMP/silent.out")
expect_refusal sysd "$nobody" "no HELLO in time" "silent peer"
cases=$((cases + 1))

# --- (c) sysd stopped: good HELLO, then a broken rule ------------------------------
kill -TERM "$NMT_SYSD"
wait "$NMT_SYSD"
nmt_untrack "$NMT_SYSD"
nmt_wait 3 "sysd marked missing" nmt_helper_is sysd state missing
run_cases <<'EOF'
seq-gap|sequence number out of order
seq-repeat|sequence number out of order
second-hello|record type not allowed for this role
type-for-role|record type not allowed for this role
hb-size|payload size wrong for the record type
EOF
nmt_start sysd
NMT_SYSD=$NMT_PID
nmt_wait 10 "sysd connected again" nmt_helper_is sysd pid "$NMT_SYSD"

# --- throughout: the reporter carried on ----------------------------------------
nmt_alive "$NMT_REPORTER" || nmt_fail "the reporter exited"
nmt_all_connected || nmt_fail "not all helpers are connected at the end"
for r in capd arpd; do
	eval want=\$NMT_$(echo $r | tr a-z A-Z)
	nmt_alive "$want" || nmt_fail "$r (pid $want) exited"
	[ "$(nmt_helper $r pid)" = "$want" ] || nmt_fail "$r: the snapshot names pid $(nmt_helper $r pid), not $want"
	[ "$(nmt_helper $r connects)" = 1 ] || nmt_fail "$r: connects $(nmt_helper $r connects), want 1"
done
rejected=$(nmt_helper sysd rejectedPeers)
[ "$rejected" -eq $((sysd_rejected_before + cases)) ] ||
	nmt_fail "sysd rejectedPeers is $rejected, want $((sysd_rejected_before + cases))"
nmt_validate
nmt_snap check "$NMT_SERVER_ID" || nmt_fail "snapshot envelope"
nmt_snap cadence "$NMT_CYCLE" "$((first + 1))" || nmt_fail "a cycle without a snapshot"
nmt_say "$cases refusals on sysd.sock counted (rejectedPeers $rejected); PASS"
