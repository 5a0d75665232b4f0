#!/bin/sh
# make deb: a Debian package from the files git tracks, built with debhelper
# (packaging/debian/ becomes debian/), then checked by lintian: any error or
# warning fails. Output: build/deb/netmon_VERSION_ARCH.deb and lintian.txt.
set -eu
cd "$(dirname "$0")/.."
for tool in dpkg-buildpackage dh lintian; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "make deb: '$tool' is missing (debhelper, lintian): run 'make deps' as root" >&2
		exit 1
	}
done
version=$(sed -n 's/^#define NETMON_VERSION "\(.*\)"/\1/p' common/netmon.h)
[ -n "$version" ] || { echo "make deb: no NETMON_VERSION in common/netmon.h" >&2; exit 1; }
out=build/deb
src=$out/netmon-$version
rm -rf "$out"
mkdir -p "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# tracked and new files as they are in the work tree (not deleted ones)
	git ls-files -z -co --exclude-standard | xargs -0 sh -c \
		'for f; do [ -e "$f" ] && cp --parents -P "$f" "$0"; done; true' "$src"
else
	tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C "$src"
fi
rm -rf "$src/debian"
cp -R packaging/debian "$src/debian"
echo "make deb: building netmon $version in $src (log: $out/build.log)"
if ! (cd "$src" && dpkg-buildpackage -b -uc -us) >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	echo "make deb: dpkg-buildpackage failed (full log: $out/build.log)" >&2
	exit 1
fi
deb=$(ls "$out"/netmon_"$version"_*.deb)
changes=$(ls "$out"/netmon_"$version"_*.changes)
echo "make deb: $deb"
# lintian on the .changes checks the .deb and the .buildinfo
status=0
lintian --fail-on error,warning --display-info --tag-display-limit 0 "$changes" >"$out/lintian.txt" 2>&1 || status=$?
if [ -s "$out/lintian.txt" ]; then
	echo "lintian says:"
	cat "$out/lintian.txt"
fi
if [ "$status" -ne 0 ]; then
	echo "make deb: lintian reports errors or warnings (exit $status)" >&2
	exit 1
fi
echo "make deb: lintian: no errors, no warnings"
