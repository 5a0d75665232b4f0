#!/bin/sh
# time-limit: 600
# `make deb` builds a Debian package that lintian passes with no error and no
# warning (make deb fails otherwise). Then the package, unpacked into an empty
# root: every file where it belongs with its mode, the conffiles, the users
# and directories that its sysusers.d/tmpfiles.d files create there (with
# systemd-sysusers/-tmpfiles --root), the API key handed to group netmon
# 0640 by postinst, and the units as installed pass verify and score <= 1.5.
set -u
cd "$(dirname "$0")/.." || exit 1
for tool in dpkg-buildpackage dh lintian systemd-sysusers systemd-tmpfiles; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "SKIP: $tool missing (packages debhelper, lintian, systemd): run 'make deps' as root"
		exit 77
	}
done
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (files owned by root in the unpacked tree)"; exit 77; }
root=$(mktemp -d /tmp/nmt-deb.XXXXXX) || exit 1
trap 'rm -rf "$root"' EXIT
trap 'exit 1' HUP INT TERM
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

if ! make -s deb >"$root.log" 2>&1; then
	cat "$root.log"; rm -f "$root.log"
	echo "FAIL: make deb"
	exit 1
fi
grep -E '^(make deb|[EW]:)' "$root.log"
rm -f "$root.log"
deb=$(ls build/deb/netmon_*.deb)
dpkg-deb -x "$deb" "$root/fs"
dpkg-deb -e "$deb" "$root/control"
fs=$root/fs

mode() { stat -c '%a %U:%G' "$fs/$1" 2>/dev/null; }
want() { # PATH MODE
	got=$(mode "$1")
	[ "$got" = "$2 root:root" ] || bad "$1: '$got', want '$2 root:root'"
}
for r in reporter capd arpd sysd; do
	want usr/sbin/netmon-$r 755
	want lib/systemd/system/netmon-$r.service 644
	want usr/share/man/man8/netmon-$r.8.gz 644
	"$fs/usr/sbin/netmon-$r" -V | grep -q '^netmon ' || bad "netmon-$r -V from the package"
done
want lib/systemd/system/netmon.target 644
want usr/share/man/man7/netmon.7.gz 644
want usr/share/man/man5/netmon.conf.5.gz 644
want usr/lib/sysusers.d/netmon.conf 644
want usr/lib/tmpfiles.d/netmon.conf 644
want usr/share/doc/netmon/copyright 644
want etc/netmon/netmon.conf 644
want etc/netmon/api.key 644
[ -s "$fs/etc/netmon/api.key" ] && bad "etc/netmon/api.key is not empty"
# nothing setuid, nothing writable by others
found=$(find "$fs" \( -perm -4000 -o -perm -2000 -o -perm -0002 \) ! -type l)
[ -z "$found" ] || bad "setuid/setgid or world-writable: $found"
# the configuration is the annotated default and valid as shipped
cmp -s "$fs/etc/netmon/netmon.conf" packaging/netmon.conf || bad "etc/netmon/netmon.conf is not packaging/netmon.conf"
"$fs/usr/sbin/netmon-reporter" -c "$fs/etc/netmon/netmon.conf" --check-config >/dev/null 2>&1 ||
	bad "the packaged netmon.conf does not pass --check-config"

# conffiles: the configuration and the key, so upgrades keep local edits
for c in /etc/netmon/netmon.conf /etc/netmon/api.key; do
	grep -qx "$c" "$root/control/conffiles" || bad "$c is not a conffile"
done
# postinst: users first (sysusers), then the key to root:netmon 0640
pi=$root/control/postinst
grep -q 'systemd-sysusers .*netmon.conf' "$pi" || bad "postinst does not create the users"
grep -q 'systemd-tmpfiles .*--create netmon.conf' "$pi" || bad "postinst does not create the directories"
grep -q 'dpkg-statoverride .*--update --add root netmon 0640 /etc/netmon/api.key' "$pi" ||
	bad "postinst does not make api.key root:netmon 0640"
[ "$(grep -n 'systemd-sysusers' "$pi" | head -n1 | cut -d: -f1)" -lt \
  "$(grep -n 'statoverride.*--add' "$pi" | head -n1 | cut -d: -f1)" ] ||
	bad "postinst sets the key's group before the group exists"
grep -q 'statoverride.*--remove /etc/netmon/api.key' "$root/control/postrm" || bad "postrm does not undo the statoverride"
dpkg-deb -f "$deb" Depends | grep -q 'systemd-sysusers' || bad "no dependency for systemd-sysusers"

# users and directories, created from the package's own files inside the root
mkdir -p "$fs/etc"
systemd-sysusers --root="$fs" >/dev/null 2>&1 || bad "systemd-sysusers --root failed"
gid=$(awk -F: '$1 == "netmon" { print $3 }' "$fs/etc/group")
[ -n "$gid" ] || bad "no group netmon after sysusers"
for u in netmon netmon-capd netmon-arpd netmon-sysd; do
	line=$(grep "^$u:" "$fs/etc/passwd")
	[ -n "$line" ] || { bad "no user $u after sysusers"; continue; }
	uid=$(echo "$line" | cut -d: -f3)
	g=$(echo "$line" | cut -d: -f4)
	sh=$(echo "$line" | cut -d: -f7)
	[ "$uid" -gt 0 ] && [ "$uid" -lt 1000 ] || bad "$u: uid $uid is not a system uid"
	[ "$g" = "$gid" ] || bad "$u: primary group $g, not netmon ($gid)"
	case $sh in */nologin|*/false) ;; *) bad "$u: login shell $sh" ;; esac
done
uids=$(grep '^netmon' "$fs/etc/passwd" | cut -d: -f3 | sort -u | wc -l)
[ "$uids" -eq 4 ] || bad "the four users do not have four distinct uids"
systemd-tmpfiles --root="$fs" --create >/dev/null 2>&1 || bad "systemd-tmpfiles --root --create failed"
for d in run/netmon var/lib/netmon; do
	got=$(stat -c '%a %u:%g' "$fs/$d" 2>/dev/null)
	nuid=$(awk -F: '$1 == "netmon" { print $3 }' "$fs/etc/passwd")
	[ "$got" = "750 $nuid:$gid" ] || bad "/$d: '$got', want '750 $nuid:$gid' (netmon:netmon)"
done

# the units as the package installs them
units=$fs/lib/systemd/system
grep -q '^ExecStart=/usr/sbin/netmon-capd -c /etc/netmon/netmon.conf$' "$units/netmon-capd.service" ||
	bad "netmon-capd.service: ExecStart is not /usr/sbin/netmon-capd -c /etc/netmon/netmon.conf"
for r in reporter capd arpd sysd; do
	s=$(systemd-analyze security --offline=true --root="$fs" --no-pager netmon-$r.service 2>&1 |
		sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p')
	echo "packaged netmon-$r.service: exposure ${s:-?}"
	awk -v s="$s" 'BEGIN { exit !(s != "" && s <= 1.5) }' || bad "netmon-$r.service: exposure '$s' > 1.5"
done
[ "$fails" -eq 0 ] || { echo "$fails problem(s)"; exit 1; }
echo "package ok: $(basename "$deb"), $(dpkg-deb -c "$deb" | wc -l) entries"
