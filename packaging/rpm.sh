#!/bin/sh
# make rpm: rpmbuild -bb packaging/rpm/netmon.spec from a tarball of the files
# git tracks, in build/rpm (its own _topdir). On Debian rpm has no database of
# the build dependencies, so they are not checked there (--nodeps); `make deps`
# installed them as Debian packages.
set -eu
cd "$(dirname "$0")/.."
command -v rpmbuild >/dev/null 2>&1 || { echo "make rpm: rpmbuild is missing (package rpm): run 'make deps' as root" >&2; exit 1; }
version=$(sed -n 's/^#define NETMON_VERSION "\(.*\)"/\1/p' common/netmon.h)
spec_version=$(sed -n 's/^Version: *//p' packaging/rpm/netmon.spec)
[ "$version" = "$spec_version" ] || { echo "make rpm: netmon.spec says $spec_version, common/netmon.h $version" >&2; exit 1; }
top=$(pwd)/build/rpm
rm -rf "$top"
mkdir -p "$top/SOURCES" "$top/stage/netmon-$version"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z -co --exclude-standard | xargs -0 sh -c \
		'for f; do [ -e "$f" ] && cp --parents -P "$f" "$0"; done; true' "$top/stage/netmon-$version"
else
	tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C "$top/stage/netmon-$version"
fi
tar -C "$top/stage" -czf "$top/SOURCES/netmon-$version.tar.gz" "netmon-$version"
cp packaging/sysusers-netmon.conf "$top/SOURCES/"
nodeps=""
[ -f /etc/debian_version ] && nodeps=--nodeps
echo "make rpm: rpmbuild -bb (log: build/rpm/build.log)"
if ! rpmbuild -bb $nodeps --define "_topdir $top" packaging/rpm/netmon.spec >"$top/build.log" 2>&1; then
	tail -n 30 "$top/build.log" >&2
	exit 1
fi
ls "$top"/RPMS/*/netmon-"$version"-*.rpm
