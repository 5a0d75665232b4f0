# Shared helpers for the integration tests (sourced by tests/integration/t_*.sh,
# which tests/run-suite.sh runs with `sh` from the repository root).
#
# Every test gets its own network namespace nmt-NAME-PID (plus nmt-NAME-PID-p
# for the far end of its veth pair when asked), a private temporary directory,
# and a trap that kills exactly the processes it started and removes both, on
# success, failure or interruption. Nothing here touches the host's interfaces.
#
#   nmt_init NAME [veth]   root check, temp dir, netns (and a veth pair: veth0
#                          198.18.0.1/24 in the test netns, veth1 198.18.0.2/24
#                          in the peer netns)
#   nmt_lan N [hub]        a LAN of N hosts on a bridge (arpd_lan.sh) with its
#                          scan0 (198.18.0.1/24) in the test netns, NMT_IF=scan0;
#                          hub: the bridge floods every frame to every port
#   nmt_config [LINES]     write $NMT_CONF ([agent] keys for the test; LINES appended)
#   nmt_start ROLE [ARGS]  start build/netmon-ROLE in the netns; pid in $NMT_PID
#   nmt_bg CMD...          start any other command (in the background); pid in $NMT_PID
#   nmt_kill9 PID          SIGKILL one of our processes and reap it
#   nmt_wait SECS WHAT CMD...   retry CMD every 0.1 s until it succeeds, else fail
#   nmt_snap SUBCOMMAND ARGS    tests/integration/snapshots.py on $NMT_SNAPS
#   nmt_helper ROLE FIELD  one field of the newest snapshot's agent.helpers.ROLE
#   nmt_validate           every snapshot so far against docs/payload.schema.json
#
# Written for POSIX sh plus `local` (dash, bash and busybox sh have it).

NMT_PY=/usr/bin/python3
NMT_DIR=tests/integration
NMT_BIN=${NMT_BIN:-build}
NMT_PIDS=""
NMT_NS=""
NMT_PEER=""
NMT_TMP=""
NMT_CYCLE=1
NMT_IF=veth0
NMT_SERVER_ID=nmt-server

nmt_say() { echo "[$(date +%H:%M:%S)] $*"; }
NMT_FAILMSG=""
nmt_fail() { NMT_FAILMSG="$*"; echo "FAIL: $*" >&2; exit 1; }
nmt_skip() { echo "SKIP: $*" >&2; exit 77; }

# On the way out, whatever the reason: our processes, our namespaces, our files.
nmt_cleanup() {
	local st=$? p n f
	trap - EXIT INT TERM HUP
	for p in $NMT_PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $NMT_PIDS; do
		n=0
		while kill -0 "$p" 2>/dev/null && [ $n -lt 30 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	if [ "$st" -ne 0 ] && [ "$st" -ne 77 ] && [ -n "$NMT_TMP" ]; then
		for f in "$NMT_TMP"/*.log; do
			[ -f "$f" ] || continue
			echo "--- $(basename "$f") (last 15 lines)"
			tail -n 15 "$f"
		done
	fi
	command -v lan_down >/dev/null 2>&1 && lan_down
	[ -n "$NMT_PEER" ] && ip netns del "$NMT_PEER" 2>/dev/null
	[ -n "$NMT_NS" ] && ip netns del "$NMT_NS" 2>/dev/null
	if [ -n "$NMT_TMP" ] && [ -z "${NMT_KEEP:-}" ]; then
		rm -rf "$NMT_TMP"
	elif [ -n "$NMT_TMP" ]; then
		echo "kept $NMT_TMP (NMT_KEEP is set)"
	fi
	# the reason last, where the suite's log tail shows it
	[ -n "$NMT_FAILMSG" ] && echo "FAIL: $NMT_FAILMSG" >&2
	exit "$st"
}

nmt_require_root() {
	[ "$(id -u)" = 0 ] || nmt_skip "needs root (network namespaces, privilege drop)"
	command -v ip >/dev/null 2>&1 || nmt_skip "needs iproute2 (ip)"
	[ -x "$NMT_PY" ] || nmt_skip "needs $NMT_PY"
	id nobody >/dev/null 2>&1 || nmt_skip "needs the user 'nobody'"
}

# The binaries are built by `make check` (or `make -j2 all test-builds`).
nmt_require_bins() { # DIR
	local r
	for r in reporter capd arpd sysd; do
		[ -x "$1/netmon-$r" ] || nmt_fail "$1/netmon-$r is missing: run 'make -j2 all test-builds' first"
	done
}

nmt_init() { # NAME [veth]
	nmt_require_root
	nmt_require_bins "$NMT_BIN"
	trap nmt_cleanup EXIT
	trap 'exit 130' INT TERM HUP
	NMT_TMP=$(mktemp -d "/tmp/nmt-$1.XXXXXX") || nmt_fail "mktemp"
	# the daemons run as nobody and must reach run_dir below this directory
	chmod 755 "$NMT_TMP"
	NMT_NS="nmt-$1-$$"
	ip netns add "$NMT_NS" || { NMT_NS=""; nmt_fail "cannot create netns nmt-$1-$$"; }
	ip -n "$NMT_NS" link set lo up
	NMT_SNAPS="$NMT_TMP/snapshots.jsonl"
	NMT_CONF="$NMT_TMP/netmon.conf"
	if [ "${2:-}" = veth ]; then
		NMT_PEER="$NMT_NS-p"
		ip netns add "$NMT_PEER" || { NMT_PEER=""; nmt_fail "cannot create netns $NMT_NS-p"; }
		ip -n "$NMT_NS" link add veth0 type veth peer name veth1 netns "$NMT_PEER" ||
			nmt_fail "cannot create the veth pair"
		ip -n "$NMT_NS" addr add 198.18.0.1/24 dev veth0
		ip -n "$NMT_PEER" addr add 198.18.0.2/24 dev veth1
		ip -n "$NMT_NS" link set veth0 up
		ip -n "$NMT_PEER" link set veth1 up
		ip -n "$NMT_PEER" link set lo up
	fi
	nmt_say "netns $NMT_NS${NMT_PEER:+ + $NMT_PEER}, files in $NMT_TMP"
}

# After nmt_init: hosts ${NMT_LAN}hK (addresses and names in $LAN_DIR/hosts,
# MACs 02:18:00:00:00:0K), removed by nmt_cleanup.
nmt_lan() { # N [hub]
	. "$NMT_DIR/arpd_lan.sh"
	NMT_LAN="nmL$$"
	LAN_SCANNER_NS=$NMT_NS lan_up "$NMT_LAN" "$1" || nmt_fail "could not build a LAN of $1 hosts"
	if [ "${2:-}" = hub ]; then
		lan_hub "$NMT_LAN" || nmt_fail "could not make the LAN's bridge a hub"
	fi
	NMT_IF=scan0
}

nmt_config() { # [EXTRA LINES]
	cat >"$NMT_CONF" <<EOF
# written by $NMT_DIR/lib.sh for one test run
[agent]
server_id = $NMT_SERVER_ID
interface = $NMT_IF
networks = ${NMT_NETWORKS:-198.18.0.0/24}
cycle_seconds = $NMT_CYCLE
run_dir = $NMT_TMP/run
state_dir = $NMT_TMP/state
user = nobody
${1:-}
EOF
	chmod 644 "$NMT_CONF"
}

nmt_track() { NMT_PIDS="$NMT_PIDS $1"; }
nmt_untrack() {
	local new="" p
	for p in $NMT_PIDS; do [ "$p" = "$1" ] || new="$new $p"; done
	NMT_PIDS=$new
}

# Start build/netmon-ROLE inside the netns with the test config. `ip netns
# exec` execs the daemon, so $NMT_PID is the daemon's own pid. The reporter's
# stdout is the snapshot stream; every daemon's stderr is ROLE.log (appended,
# so a restart keeps the earlier lines).
nmt_start() { # ROLE [ARGS...]
	local role=$1 out=/dev/null
	shift
	[ "$role" = reporter ] && out=$NMT_SNAPS
	ip netns exec "$NMT_NS" "$NMT_BIN/netmon-$role" -c "$NMT_CONF" "$@" \
		>>"$out" 2>>"$NMT_TMP/$role.log" &
	NMT_PID=$!
	nmt_track "$NMT_PID"
}

nmt_bg() { # CMD...
	"$@" &
	NMT_PID=$!
	nmt_track "$NMT_PID"
}

nmt_kill9() { # PID
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	nmt_untrack "$1"
}

nmt_alive() { kill -0 "$1" 2>/dev/null; }

# The test API (api_receiver.py) on 127.0.0.1:PORT of the test's namespace,
# answering as MODEFILE says, logging to LOG; returns once it listens.
nmt_api() { # PORT LOG MODEFILE [api_receiver.py ARGS...]
	local port=$1 log=$2 mode=$3
	shift 3
	nmt_bg ip netns exec "$NMT_NS" "$NMT_PY" "$NMT_DIR/api_receiver.py" --port "$port" \
		--log "$log" --mode-file "$mode" "$@"
	nmt_wait 5 "the test API on port $port" ip netns exec "$NMT_NS" "$NMT_PY" -c \
		"import socket; socket.create_connection(('127.0.0.1', $port), 1)"
}

# Traffic for capd to count: a UDP datagram of BYTES to 198.18.0.1:9 from
# the peer namespace every SECONDS.
nmt_udp_traffic() { # BYTES SECONDS
	nmt_bg ip netns exec "$NMT_PEER" "$NMT_PY" -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
n, gap = int(sys.argv[1]), float(sys.argv[2])
while True:
    try:
        s.sendto(b"x" * n, ("198.18.0.1", 9))
    except OSError:
        pass
    time.sleep(gap)' "$1" "$2"
}

# Stop daemons we started (SIGTERM, then SIGKILL after 3 s) so that the files
# they write are complete and frozen before a test checks them.
nmt_stop() { # PID...
	local p n
	for p in "$@"; do kill -TERM "$p" 2>/dev/null; done
	for p in "$@"; do
		n=0
		while kill -0 "$p" 2>/dev/null && [ $n -lt 30 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
		nmt_untrack "$p"
	done
}
nmt_stop_all() { nmt_stop $NMT_PIDS; }

nmt_wait() { # SECONDS WHAT CMD...
	local limit=$(($1 * 10)) what=$2 n=0
	shift 2
	until "$@" >/dev/null 2>&1; do
		n=$((n + 1))
		[ $n -ge $limit ] && nmt_fail "timed out after ${limit}00 ms waiting for: $what"
		sleep 0.1
	done
}

nmt_snap() { # SUBCOMMAND [ARGS...]
	local cmd=$1
	shift
	"$NMT_PY" "$NMT_DIR/snapshots.py" "$cmd" "$NMT_SNAPS" "$@"
}
# tests/tools/validate_payload.py on a frozen copy of the complete lines
# written so far (the reporter may be in the middle of the next one). Final
# checks stop the daemons first (nmt_stop_all).
nmt_validate() {
	local n
	n=$(nmt_lines)
	[ "$n" -gt 0 ] || nmt_fail "no snapshot to validate"
	head -n "$n" "$NMT_SNAPS" >"$NMT_TMP/validate.jsonl"
	"$NMT_PY" tests/tools/validate_payload.py "$NMT_TMP/validate.jsonl" ||
		nmt_fail "snapshots do not match docs/payload.schema.json"
	nmt_say "$n snapshots match docs/payload.schema.json"
}
nmt_helper() { "$NMT_PY" "$NMT_DIR/snapshots.py" helper "$NMT_SNAPS" "$1" "$2" 2>/dev/null; }
nmt_helper_is() { [ "$(nmt_helper "$1" "$2")" = "$3" ]; }
nmt_all_connected() {
	local r
	for r in capd arpd sysd; do nmt_helper_is "$r" state connected || return 1; done
}
nmt_lines() { [ -f "$NMT_SNAPS" ] && wc -l <"$NMT_SNAPS" | tr -d ' ' || echo 0; }

# Start the reporter and the three helpers; wait until the snapshot shows all
# three connected with the pids we started.
nmt_start_all() {
	local r p want got
	nmt_start reporter
	NMT_REPORTER=$NMT_PID
	nmt_wait 5 "the reporter's sockets" test -S "$NMT_TMP/run/capd.sock"
	nmt_start sysd
	NMT_SYSD=$NMT_PID
	nmt_start arpd
	NMT_ARPD=$NMT_PID
	nmt_start capd
	NMT_CAPD=$NMT_PID
	nmt_wait 10 "all three helpers connected" nmt_all_connected
	for r in capd arpd sysd; do
		eval want=\$NMT_$(echo $r | tr a-z A-Z)
		got=$(nmt_helper $r pid)
		[ "$got" = "$want" ] || nmt_fail "snapshot says $r is pid $got, we started pid $want"
	done
	for p in $NMT_REPORTER $NMT_SYSD $NMT_ARPD $NMT_CAPD; do
		nmt_alive "$p" || nmt_fail "pid $p exited during start-up"
	done
	nmt_say "reporter $NMT_REPORTER, sysd $NMT_SYSD, arpd $NMT_ARPD, capd $NMT_CAPD: all connected"
}
