# A LAN of network namespaces on one bridge, for arpd's test and benchmark
# (sourced; POSIX sh plus `local`). Names carry the caller's PID so parallel
# runs never collide; lan_down removes everything lan_up made.
#
#   lan_up TAG N [SLEEPY]   bridge netns ${TAG}b, scanner netns ${TAG}s (scan0,
#                           198.18.0.1/24 or /22), N hosts ${TAG}hK at scattered
#                           addresses of 198.18.0.0/24 (listed in $LAN_DIR/hosts);
#                           the first SLEEPY of them (in a scattered order) sleep
#   lan_host TAG K IP       one more host (for late joins), MAC 02:..:K
#   lan_hub TAG             the bridge floods every frame to every port (no MAC
#                           learning), so scan0 sees host-to-host traffic as a
#                           mirror port would
#   lan_down                processes, namespaces, files
#
# LAN_SCANNER_NS=NS before lan_up: put scan0 into that existing namespace
# instead of creating ${TAG}s (tests/integration/lib.sh's nmt_lan: the test's
# own namespace, which its caller creates and removes).
#
# The scanner's own address is 198.18.0.1; hosts use .2-.254 spread by a
# multiplicative step, so they are neither contiguous nor in order.

LAN_NSLIST=""
LAN_PIDS=""
LAN_DIR=""
LAN_PY=/usr/bin/python3

lan_down() {
	local p n
	for p in $LAN_PIDS; do kill -TERM "$p" 2>/dev/null; done
	for p in $LAN_PIDS; do wait "$p" 2>/dev/null; done
	LAN_PIDS=""
	for n in $LAN_NSLIST; do ip netns del "$n" 2>/dev/null; done
	LAN_NSLIST=""
	[ -n "$LAN_DIR" ] && rm -rf "$LAN_DIR"
	LAN_DIR=""
}

# lan_host TAG K IP [sleepy]
lan_host() {
	local tag=$1 k=$2 addr=$3 ns="$1h$2"
	ip netns add "$ns" || return 1
	LAN_NSLIST="$LAN_NSLIST $ns"
	ip -n "$tag"b link add "p$k" type veth peer name eth0 netns "$ns" || return 1
	ip -n "$tag"b link set "p$k" master br0 up
	ip -n "$ns" link set eth0 address "$(printf '02:18:00:00:%02x:%02x' $((k / 256)) $((k % 256)))"
	ip -n "$ns" addr add "$addr/24" dev eth0
	ip -n "$ns" link set lo up
	ip -n "$ns" link set eth0 up
	if [ "${4:-}" = sleepy ]; then
		ip -n "$ns" link set eth0 arp off
		ip netns exec "$ns" "$LAN_PY" tests/integration/arp_sleepy.py eth0 "$addr" \
			"${LAN_SLEEPY_DELAY_MS:-300}" 1000 &
		LAN_PIDS="$LAN_PIDS $!"
	fi
	echo "$addr $ns" >>"$LAN_DIR/hosts"
}

# lan_up TAG N [SLEEPY] [SCANNER_PREFIX]
lan_up() {
	local tag=$1 n=$2 sleepy=${3:-0} plen=${4:-24} k=1 addr scan=${LAN_SCANNER_NS:-${1}s}
	LAN_DIR=$(mktemp -d)
	: >"$LAN_DIR/hosts"
	ip netns add "$tag"b && LAN_NSLIST="$LAN_NSLIST ${tag}b" || return 1
	if [ -z "${LAN_SCANNER_NS:-}" ]; then
		ip netns add "$scan" && LAN_NSLIST="$LAN_NSLIST $scan" || return 1
	fi
	ip -n "$tag"b link add br0 type bridge
	ip -n "$tag"b link set br0 type bridge forward_delay 0 2>/dev/null
	ip -n "$tag"b link set br0 up
	ip -n "$tag"b link add ps type veth peer name scan0 netns "$scan" || return 1
	ip -n "$tag"b link set ps master br0 up
	ip -n "$scan" addr add "198.18.0.1/$plen" dev scan0
	ip -n "$scan" link set lo up
	ip -n "$scan" link set scan0 up
	while [ $k -le "$n" ]; do
		# k*97 mod 251 is a permutation of 1..250: scattered, distinct addresses
		addr="198.18.0.$(((k * 97) % 251 + 3))"
		if [ $k -le "$sleepy" ]; then
			lan_host "$tag" $k "$addr" sleepy || return 1
		else
			lan_host "$tag" $k "$addr" || return 1
		fi
		k=$((k + 1))
	done
}

# lan_hub TAG: no MAC learning on any port of br0 (and the table flushed), so
# every frame, unicast included, reaches every port: scan0 then sees the
# traffic between hosts, as a switch's mirror port would show it.
lan_hub() {
	local tag=$1 p
	for p in $(ip -n "$tag"b -o link show master br0 | sed 's/^[0-9]*: \([^@:]*\).*/\1/'); do
		ip -n "$tag"b link set "$p" type bridge_slave learning off flood on || return 1
	done
	ip -n "$tag"b link set br0 type bridge fdb_flush
}

# A test with a reporter and arpd of its own in the scanner namespace
# (t_arpd_lan, t_names_dns, t_names_passive):
#   lan_test_init NAME    $TMP (mode 755, the daemons run as nobody), fail, say,
#                         mac_of NS, and the EXIT trap: the daemons stopped,
#                         lan_test_cleanup run when the test defines one, the
#                         logs ($TMP/arpd.log, reporter.log, $LAN_TEST_LOGS)
#                         shown on failure, lan_down, $TMP removed
#   lan_agent_start [ARPD_ARGS...]
#                         the reporter (snapshots on stdout to $TMP/snaps.jsonl)
#                         and arpd (stdout to $TMP/arpd.out) on $TMP/netmon.conf
#                         in namespace $S, until arpd's start-up sweep is done
#   lan_agent_stop        both stopped; fails when either exits non-zero
#   lan_config DIR NETWORKS [EXTRA]   DIR/netmon.conf for that agent
LAN_DPID=""
LAN_RPID=""
LAN_TEST_LOGS=""

lan_test_exit() {
	local st=$? f
	trap - EXIT INT TERM HUP
	[ -n "$LAN_DPID" ] && kill -TERM "$LAN_DPID" 2>/dev/null && wait "$LAN_DPID" 2>/dev/null
	[ -n "$LAN_RPID" ] && kill -TERM "$LAN_RPID" 2>/dev/null && wait "$LAN_RPID" 2>/dev/null
	command -v lan_test_cleanup >/dev/null 2>&1 && lan_test_cleanup
	if [ $st -ne 0 ]; then
		for f in arpd.log reporter.log $LAN_TEST_LOGS; do
			[ -f "$TMP/$f" ] && { echo "--- $f (last 15 lines)"; tail -n 15 "$TMP/$f"; }
		done
	fi
	lan_down
	rm -rf "$TMP"
	exit $st
}

lan_test_init() { # NAME
	fail() { echo "FAIL: $*" >&2; exit 1; }
	say() { echo "[$(date +%H:%M:%S)] $*"; }
	mac_of() { ip -n "$1" -o link show eth0 | sed 's/.*link\/ether \([0-9a-f:]*\).*/\1/'; }
	TMP=$(mktemp -d "/tmp/nmt-$1.XXXXXX") || exit 1
	chmod 755 "$TMP"
	trap lan_test_exit EXIT
	trap 'exit 1' INT TERM HUP PIPE
}

# DIR/netmon.conf for the scanner namespace: scan0, the daemons as nobody,
# files under DIR, a 1 s cycle, arpd's next sweep an hour after the first;
# EXTRA lines go after the [arpd] section's keys (more of them, or sections).
lan_config() { # DIR NETWORKS [EXTRA]
	cat >"$1/netmon.conf" <<CONF
[agent]
interface = scan0
networks = $2
cycle_seconds = 1
run_dir = $1/run
state_dir = $1/state
user = nobody
[arpd]
scan_interval_seconds = 3600
${3:-}
CONF
	chmod 644 "$1/netmon.conf"
}

lan_agent_start() { # [ARPD_ARGS...]
	local n=0 bin=${NMT_BIN:-build}
	ip netns exec "$S" "$bin/netmon-reporter" -c "$TMP/netmon.conf" >"$TMP/snaps.jsonl" \
		2>"$TMP/reporter.log" &
	LAN_RPID=$!
	sleep 0.3
	ip netns exec "$S" "$bin/netmon-arpd" -c "$TMP/netmon.conf" "$@" >"$TMP/arpd.out" \
		2>"$TMP/arpd.log" &
	LAN_DPID=$!
	until grep -q "sweep: .* answered" "$TMP/arpd.log"; do
		n=$((n + 1)); [ $n -lt 100 ] || fail "the start-up sweep did not finish in 10 s"
		kill -0 $LAN_DPID 2>/dev/null || fail "arpd exited"
		sleep 0.1
	done
}

lan_agent_stop() {
	kill -TERM $LAN_DPID; wait $LAN_DPID || fail "arpd exited $?"; LAN_DPID=""
	kill -TERM $LAN_RPID; wait $LAN_RPID || fail "reporter exited $?"; LAN_RPID=""
}
