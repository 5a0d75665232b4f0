#!/bin/sh
# `make install DESTDIR=` puts every file where it belongs, and systemd accepts the units.
set -eu
cd "$(dirname "$0")/.."
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
make -s install DESTDIR="$dest" PREFIX=/usr SYSCONFDIR=/etc >/dev/null
for f in usr/sbin/netmon-capd usr/sbin/netmon-arpd usr/sbin/netmon-sysd usr/sbin/netmon-reporter \
	 etc/netmon/netmon.conf.example usr/lib/sysusers.d/netmon.conf usr/lib/tmpfiles.d/netmon.conf; do
	[ -e "$dest/$f" ] || { echo "missing after install: $f"; exit 1; }
done
for u in "$dest"/usr/lib/systemd/system/netmon-*.service; do
	grep -Eq '@[A-Z]+@' "$u" && { echo "unsubstituted placeholder in $u"; exit 1; }
	# point ExecStart at the staged binary so verify can check it exists
	sed -i "s|ExecStart=/usr/sbin/|ExecStart=$dest/usr/sbin/|; s| -c /etc/| -c $dest/etc/|" "$u"
done
if command -v systemd-analyze >/dev/null 2>&1; then
	out=$(systemd-analyze verify --man=no "$dest"/usr/lib/systemd/system/netmon-*.service 2>&1 || true)
	if [ -n "$out" ]; then echo "$out"; exit 1; fi
fi
grep -q '^AmbientCapabilities=CAP_NET_RAW' "$dest/usr/lib/systemd/system/netmon-capd.service"
grep -q '^CapabilityBoundingSet=$' "$dest/usr/lib/systemd/system/netmon-reporter.service"
echo "install layout and units ok"
