#!/bin/sh
# time-limit: 400
# `make rpm`: rpmbuild -bb builds packaging/rpm/netmon.spec here, and the
# package holds the daemons, units, sysusers/tmpfiles files, the config and
# the API key (root:netmon 0640) as noreplace config files, and creates the
# users before its files are installed.
set -u
cd "$(dirname "$0")/.." || exit 1
command -v rpmbuild >/dev/null 2>&1 || { echo "SKIP: rpmbuild missing (package rpm): run 'make deps' as root"; exit 77; }
log=$(mktemp /tmp/nmt-rpm.XXXXXX) || exit 1
trap 'rm -f "$log"' EXIT
make -s rpm >"$log" 2>&1 || { cat "$log"; echo "FAIL: make rpm"; exit 1; }
rpm=$(ls build/rpm/RPMS/*/netmon-*.rpm 2>/dev/null | head -n 1)
[ -n "$rpm" ] || { echo "FAIL: no rpm in build/rpm/RPMS"; exit 1; }
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
list=$(rpm -qlvp "$rpm" 2>/dev/null)
has() { echo "$list" | grep -Eq "$1" || bad "$rpm: no '$1'"; }
for r in reporter capd arpd sysd; do
	has "^-rwxr-xr-x .* root +root .* /usr/sbin/netmon-$r\$"
	has " /usr/lib/systemd/system/netmon-$r.service\$"
	has " /usr/share/man/man8/netmon-$r.8"
done
has " /usr/lib/systemd/system/netmon.target\$"
has " /usr/lib/sysusers.d/netmon.conf\$"
has " /usr/lib/tmpfiles.d/netmon.conf\$"
has "^-rw-r--r-- .* root +root .* /etc/netmon/netmon.conf\$"
has "^-rw-r----- .* root +netmon .* /etc/netmon/api.key\$"
has "^drwxr-x--- .* netmon +netmon .* /var/lib/netmon\$"
cfg=$(rpm -qcp "$rpm" 2>/dev/null)
for c in /etc/netmon/netmon.conf /etc/netmon/api.key; do
	echo "$cfg" | grep -qx "$c" || bad "$c is not a config file"
done
rpm -qp --scripts "$rpm" 2>/dev/null | grep -A1 '^preinstall' | grep -q systemd-sysusers ||
	bad "the users are not created before the files are installed (%pre)"
[ "$fails" -eq 0 ] || exit 1
echo "rpm ok: $(basename "$rpm"), $(echo "$list" | wc -l) entries"
