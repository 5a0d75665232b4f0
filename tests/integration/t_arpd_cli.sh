#!/bin/sh
# netmon-arpd's command line: bad ranges and options are refused with one
# clear line before anything is opened (no root, no interface needed).
set -u
cd "$(dirname "$0")/../.." || exit 1
BIN=${NMT_BIN:-build}/netmon-arpd
[ -x "$BIN" ] || { echo "FAIL: $BIN missing (make bins)"; exit 1; }
TMP=$(mktemp -d /tmp/nmt-arpdcli.XXXXXX) || exit 1
trap 'rm -rf "$TMP"' EXIT
fails=0
expect() { # STATUS TEXT ARGS...
	local want=$1 text=$2 st
	shift 2
	timeout 10 "$BIN" "$@" >"$TMP/out" 2>"$TMP/err"
	st=$?
	if [ $st -ne "$want" ] || ! grep -qF -- "$text" "$TMP/err"; then
		echo "FAIL: arpd $* -> exit $st, stderr: $(cat "$TMP/err") (wanted $want and '$text')"
		fails=$((fails + 1))
	else
		echo "ok: arpd $* -> $(head -n 1 "$TMP/err")"
	fi
}
expect 1 "10.0.0.0/8 is larger than a /16" --once -i nmt-none0 --range 10.0.0.0/8
expect 1 "more than a /16" --once -i nmt-none0 --range 10.0.0.0/16,10.1.0.0/16
expect 1 "is not IPv4" --once -i nmt-none0 --range 2001:db8::/64
expect 2 "--once needs --interface and --range" --once --range 192.0.2.0/24
expect 2 "--rate: '0' is not a number" --once -i x --range 192.0.2.0/24 --rate 0
expect 2 "--tries: '11' is not a number" --once -i x --range 192.0.2.0/24 --tries 11
expect 2 "--range:" --once -i x --range 192.0.2.300/24
expect 1 "interface 'nmt-none0' does not exist" --once -i nmt-none0 --range 192.0.2.0/24
[ $fails -eq 0 ] || exit 1
echo PASS
