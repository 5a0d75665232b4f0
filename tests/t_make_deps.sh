#!/bin/sh
# A first `make` on a machine without a build dependency stops with one line
# that names what is missing and what to run, not with a compiler error about
# a header. (Simulated with a package name pkg-config cannot know.)
# time-limit: 60
set -u
cd "$(dirname "$0")/.."
out=$(make -n PKGS="libpcap netmon-no-such-lib" bins 2>&1)
st=$?
[ $st -ne 0 ] || { echo "make succeeded with a missing dependency"; exit 1; }
echo "$out" | grep -q "missing build dependencies (netmon-no-such-lib): run 'make deps' as root" ||
	{ echo "unexpected output:"; echo "$out"; exit 1; }
echo "$out" | grep -q "\.h: No such file" && { echo "a compiler error instead of the message"; exit 1; }
# the goals that install dependencies first are not stopped by the check
make -n PKGS="netmon-no-such-lib" deps >/dev/null 2>&1 || { echo "make deps refused"; exit 1; }
echo "missing dependency reported as: $(echo "$out" | head -n 1)"
