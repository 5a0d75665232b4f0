#!/bin/sh
# Installs what building and testing netmon needs on Debian 12. As root it runs
# apt-get; otherwise it prints the exact command to run.
set -eu
PKGS="build-essential pkg-config libpcap-dev libcurl4-openssl-dev libjansson-dev
libseccomp-dev libcmocka-dev clang libclang-rt-14-dev iproute2 tcpdump tshark
tcpreplay darkstat python3 python3-jsonschema procps util-linux hyperfine time
groff-base zlib1g-dev openssl
debhelper lintian rpm runit
prometheus prometheus-node-exporter protobuf-compiler python3-protobuf python3-psutil e2fsprogs
arp-scan ieee-data libc-ares-dev"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "netmon: missing build/test packages. Run as root:" >&2
	echo "  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi
echo "netmon: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
