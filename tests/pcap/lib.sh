# Shared by the capd test scripts: sourced (". tests/pcap/lib.sh") from the
# repository root, where run-suite.sh runs them. Not a test itself.
CAPD=${CAPD:-build/netmon-capd}
REPORTER=${REPORTER:-build/netmon-reporter}
FIX=tests/pcap/fixtures
PY=/usr/bin/python3

# need_bins BIN...: fail (not skip) when make has not built them
need_bins() {
	for b in "$@"; do
		[ -x "$b" ] || { echo "no $b: run make first"; exit 1; }
	done
}

# need_live TOOL...: root, ip and the tools, or skip (77)
need_live() {
	[ "$(id -u)" -eq 0 ] || { echo "skip: needs root (network namespace)"; exit 77; }
	for t in ip "$@"; do
		command -v "$t" >/dev/null 2>&1 || { echo "skip: no $t"; exit 77; }
	done
}

# veth_netns NS: a network namespace with lo up and a veth pair, vcap (where
# capd captures) and vsend (where tcpreplay sends). IPv6 is off, so no
# router or neighbour solicitations reach the counters. The caller deletes NS.
veth_netns() {
	ip netns add "$1" || exit 1
	ip netns exec "$1" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n "$1" link add vcap type veth peer name vsend || exit 1
	ip -n "$1" link set vcap up
	ip -n "$1" link set vsend up
	ip -n "$1" link set lo up
}
