#!/bin/sh
# config_resolve() on a machine we control: a network namespace with known
# interfaces, addresses and default routes. Checks the default-route interface
# (lowest metric), its prefixes (deduplicated, without fe80::/10), the derived
# scan range, the IPv6 fallback and the errors. Needs root; 77 = skip.
set -u
cd "$(dirname "$0")/../.." || exit 1
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root for network namespaces"; exit 77; }
command -v ip >/dev/null 2>&1 || { echo "SKIP: no ip(8)"; exit 77; }
TOOL=build/tools/config_dump
[ -x "$TOOL" ] || { echo "FAIL: $TOOL missing (make all)"; exit 1; }

NS=nmt-cfg-$$
TMP=$(mktemp -d /tmp/nmt-cfg.XXXXXX) || exit 1
cleanup() {
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

ip netns add "$NS" || { echo "SKIP: cannot create a network namespace"; exit 77; }
nsip() { ip -n "$NS" "$@" || { echo "FAIL: ip -n $NS $*"; exit 1; }; }
nsrun() { ip netns exec "$NS" "$@"; }

# two veth ends inside the namespace: nothing reaches the host's interfaces
nsip link add nmt-cv0 type veth peer name nmt-cv1
nsip link add nmt-cv2 type veth peer name nmt-cv3
nsip addr add 198.18.7.10/24 dev nmt-cv0
nsip addr add 198.18.7.11/24 dev nmt-cv0
nsip -6 addr add 2001:db8:7::10/64 dev nmt-cv0 nodad
nsip addr add 198.18.8.10/24 dev nmt-cv1
nsip -6 addr add 2001:db8:8::10/64 dev nmt-cv1 nodad
nsip link set nmt-cv0 up
nsip link set nmt-cv1 up
nsip route add default via 198.18.7.1 dev nmt-cv0 metric 10
nsip route add default via 198.18.8.1 dev nmt-cv1 metric 500

: >"$TMP/empty.conf"
fails=0
check() { # description file expected-line
	if grep -qxF "$3" "$2"; then
		echo "ok: $1: $3"
	else
		echo "FAIL: $1: expected line '$3' in:"
		sed 's/^/    /' "$2"
		fails=$((fails + 1))
	fi
}

# 1. IPv4 default routes: the lowest metric wins
nsrun "$TOOL" -r "$TMP/empty.conf" >"$TMP/out1" 2>&1 || { echo "FAIL: resolve 1:"; cat "$TMP/out1"; exit 1; }
# the link-local address the kernel gave nmt-cv0 must not show up
nsrun ip -6 addr show dev nmt-cv0 | grep -q 'inet6 fe80' || echo "note: no fe80 address on nmt-cv0"
check "v4 default" "$TMP/out1" "interface = nmt-cv0"
check "v4 default" "$TMP/out1" "networks = 198.18.7.0/24, 2001:db8:7::/64"
check "v4 default" "$TMP/out1" "scan_range = 198.18.7.0/24"
check "v4 default" "$TMP/out1" "server_id = $(uname -n)"
check "v4 default" "$TMP/out1" "outputs = stdout"

# 2. only an IPv6 default route: the fallback finds it
nsip route del default via 198.18.7.1 dev nmt-cv0
nsip route del default via 198.18.8.1 dev nmt-cv1
nsip -6 route add default via 2001:db8:8::1 dev nmt-cv1
nsrun "$TOOL" -r "$TMP/empty.conf" >"$TMP/out2" 2>&1 || { echo "FAIL: resolve 2:"; cat "$TMP/out2"; exit 1; }
check "v6 fallback" "$TMP/out2" "interface = nmt-cv1"
check "v6 fallback" "$TMP/out2" "networks = 198.18.8.0/24, 2001:db8:8::/64"
check "v6 fallback" "$TMP/out2" "scan_range = 198.18.8.0/24"

# 3. values from the file win over the machine
printf '[agent]\ninterface = nmt-cv0\n[arpd]\nscan_range = 198.18.7.128/25\n[reporter]\napi_url = http://127.0.0.1:9/\n' >"$TMP/given.conf"
nsrun "$TOOL" -r "$TMP/given.conf" >"$TMP/out3" 2>&1 || { echo "FAIL: resolve 3:"; cat "$TMP/out3"; exit 1; }
check "given" "$TMP/out3" "interface = nmt-cv0"
check "given" "$TMP/out3" "networks = 198.18.7.0/24, 2001:db8:7::/64"
check "given" "$TMP/out3" "scan_range = 198.18.7.128/25"
check "given" "$TMP/out3" "outputs = http"

# 4. no default route at all: one clear error line, exit 1
nsip -6 route del default via 2001:db8:8::1 dev nmt-cv1
if nsrun "$TOOL" -r "$TMP/empty.conf" >"$TMP/out4" 2>"$TMP/err4"; then
	echo "FAIL: resolved without any default route"; fails=$((fails + 1))
fi
check "no route" "$TMP/err4" "[agent] interface: no default route in /proc/net/route or /proc/net/ipv6_route; set interface"

# 5. an interface without addresses (down, so not even link-local)
printf '[agent]\ninterface = nmt-cv2\n' >"$TMP/noaddr.conf"
nsrun "$TOOL" -r "$TMP/noaddr.conf" >/dev/null 2>"$TMP/err5" && { echo "FAIL: resolved nmt-cv2"; fails=$((fails + 1)); }
check "no address" "$TMP/err5" "[agent] networks: interface nmt-cv2 has no address other than IPv6 link-local; set networks"

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all resolve checks passed"
