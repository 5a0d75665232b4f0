#!/bin/sh
# The systemd units as `make install` puts them: `systemd-analyze verify` is
# silent, every service scores an exposure of at most 1.5 in
# `systemd-analyze security --offline=true`, each role has exactly the
# privileges it needs (CAP_NET_RAW only for capd/arpd, no IP for the helpers),
# and the shared confinement block is the same in every unit.
set -eu
cd "$(dirname "$0")/.."
MAX_EXPOSURE=${MAX_EXPOSURE:-1.5}
command -v systemd-analyze >/dev/null 2>&1 || { echo "SKIP: needs systemd-analyze (package systemd)"; exit 77; }
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
make -s install DESTDIR="$dest" PREFIX=/usr SYSCONFDIR=/etc >/dev/null
units="$dest/usr/lib/systemd/system"
fail() { echo "FAIL: $*"; exit 1; }

for r in reporter capd arpd sysd; do
	[ -f "$units/netmon-$r.service" ] || fail "netmon-$r.service not installed"
done
[ -f "$units/netmon.target" ] || fail "netmon.target not installed"
for u in "$units"/netmon-*.service; do
	# point ExecStart at the staged binary so verify can check it exists
	sed -i "s|ExecStart=/usr/sbin/|ExecStart=$dest/usr/sbin/|; s| -c /etc/| -c $dest/etc/|" "$u"
done
out=$(cd "$units" && systemd-analyze verify --man=no netmon.target netmon-*.service 2>&1) ||
	fail "systemd-analyze verify failed: $out"
[ -z "$out" ] || fail "systemd-analyze verify is not silent: $out"

worst=0
for r in reporter capd arpd sysd; do
	line=$(cd "$units" && systemd-analyze security --offline=true --no-pager "./netmon-$r.service" 2>&1 |
		grep 'Overall exposure level') || fail "netmon-$r.service: no exposure level from systemd-analyze"
	score=$(echo "$line" | sed -n 's/.*: \([0-9.]*\) .*/\1/p')
	echo "netmon-$r.service: exposure $score"
	awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(s != "" && s <= m) }' ||
		fail "netmon-$r.service: exposure '$score' is above $MAX_EXPOSURE"
done

key() { grep -E "^$2=" "$units/$1" | tail -n 1 | cut -d= -f2-; }
for r in capd arpd; do
	u=netmon-$r.service
	[ "$(key $u AmbientCapabilities)" = CAP_NET_RAW ] || fail "$u: AmbientCapabilities is not CAP_NET_RAW"
	[ "$(key $u CapabilityBoundingSet)" = CAP_NET_RAW ] || fail "$u: CapabilityBoundingSet is not CAP_NET_RAW"
	[ "$(key $u User)" = "netmon-$r" ] || fail "$u: not its own user"
done
for r in reporter sysd; do
	u=netmon-$r.service
	[ -z "$(key $u AmbientCapabilities)" ] || fail "$u: has ambient capabilities"
	[ -z "$(key $u CapabilityBoundingSet)" ] || fail "$u: bounding set is not empty"
done
for r in capd arpd sysd; do
	u=netmon-$r.service
	[ "$(key $u IPAddressDeny)" = any ] || fail "$u: needs no IP, but IPAddressDeny is not 'any'"
	key $u RestrictAddressFamilies | grep -q INET && fail "$u: may open inet sockets"
done
for u in netmon-reporter.service netmon-capd.service netmon-arpd.service netmon-sysd.service; do
	[ "$(key $u Type)" = notify ] || fail "$u: not Type=notify"
	[ -n "$(key $u WatchdogSec)" ] || fail "$u: no WatchdogSec="
	[ "$(key $u Restart)" = on-failure ] || fail "$u: Restart is not on-failure"
	grep -qx 'PartOf=netmon.target' "$units/$u" || fail "$u: not PartOf=netmon.target"
	grep -q "netmon-${u#netmon-}" "$units/netmon.target" || fail "netmon.target does not want $u"
done
[ "$(key netmon-reporter.service RuntimeDirectory)" = netmon ] || fail "reporter: no RuntimeDirectory=netmon"
[ "$(key netmon-reporter.service StateDirectory)" = netmon ] || fail "reporter: no StateDirectory=netmon"

# one confinement block, four copies: they must not drift apart
block() { sed -n '/^# --- confinement shared/,/^# --- end of the shared/p' "packaging/systemd/$1"; }
ref=$(block netmon-reporter.service)
[ -n "$ref" ] || fail "netmon-reporter.service has no shared confinement block"
for r in capd arpd sysd; do
	[ "$(block netmon-$r.service)" = "$ref" ] || fail "netmon-$r.service: shared confinement block differs from the reporter's"
done

# sysusers/tmpfiles: every unit's user exists, in group netmon
for r in capd arpd sysd; do
	grep -Eq "^u netmon-$r +-:netmon " "$dest/usr/lib/sysusers.d/netmon.conf" || fail "sysusers: no user netmon-$r in group netmon"
done
grep -Eq '^u netmon +-:netmon ' "$dest/usr/lib/sysusers.d/netmon.conf" || fail "sysusers: no user netmon"
grep -Eq '^d /run/netmon 0750 netmon netmon' "$dest/usr/lib/tmpfiles.d/netmon.conf" || fail "tmpfiles: no /run/netmon"
echo "units ok: verify silent, every exposure <= $MAX_EXPOSURE"
