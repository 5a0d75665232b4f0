#!/bin/sh
# time-limit: 90
# Disks follow the mount table: in a private mount namespace, an ext4 image
# mounted while `netmon-sysd --once --dump --interval 2` waits between its two
# samples shows up in the second one (sysd parses mountinfo again when the
# kernel signals a change), with df's numbers; a bind mount of it does not
# add a second entry; a tmpfs (no device) is never listed.
set -u
cd "$(dirname "$0")/../.." || exit 1
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (mount)"; exit 77; }
for t in unshare mkfs.ext4 losetup df; do
	command -v $t >/dev/null 2>&1 || { echo "SKIP: needs $t"; exit 77; }
done
[ -e /dev/loop-control ] || { echo "SKIP: no loop devices"; exit 77; }
TMP=$(mktemp -d /tmp/nmt-sysdmnt.XXXXXX) || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM
truncate -s 32M "$TMP/disk.img" && mkfs.ext4 -q -F "$TMP/disk.img" || { echo "FAIL: mkfs"; exit 1; }
mkdir -p "$TMP/mnt" "$TMP/bind" "$TMP/tmpfs"

# everything below runs in a private mount namespace: its mounts vanish with it
timeout 60 unshare -m --propagation private sh -c '
	set -u
	T=$1
	build/netmon-sysd --once --dump --interval 2 >"$T/dump.json" 2>"$T/sysd.err" &
	pid=$!
	sleep 0.7
	mount -o loop "$T/disk.img" "$T/mnt" || exit 3
	mkdir -p "$T/mnt/sub"
	mount --bind "$T/mnt/sub" "$T/bind" || exit 3
	mount -t tmpfs none "$T/tmpfs" || exit 3
	wait $pid || exit 4
	df -B1 --output=size,used,avail "$T/mnt" | tail -n 1 >"$T/df.txt"
	umount "$T/tmpfs" "$T/bind" "$T/mnt"
' sh "$TMP"
st=$?
[ $st -eq 0 ] || { echo "FAIL: the mount namespace part exited $st"; cat "$TMP/sysd.err"; exit 1; }

/usr/bin/python3 - "$TMP" <<'PYEOF'
import json, sys
t = sys.argv[1]
disks = {d["mount"]: d for d in json.load(open(t + "/dump.json"))["metrics"]["disk"]}
size, used, avail = (int(x) for x in open(t + "/df.txt").read().split())
d = disks.get(t + "/mnt")
if d is None:
    sys.exit("FAIL: the ext4 mounted between the samples is missing: %s" % sorted(disks))
if (d["totalBytes"], d["usedBytes"], d["freeBytes"]) != (size, used, avail):
    sys.exit("FAIL: sysd %s/%s/%s, df %s/%s/%s" % (d["totalBytes"], d["usedBytes"], d["freeBytes"],
                                                   size, used, avail))
if d["fsType"] != "ext4" or not d["device"].startswith("/dev/loop"):
    sys.exit("FAIL: fsType %r device %r" % (d["fsType"], d["device"]))
for m in (t + "/bind", t + "/tmpfs"):
    if m in disks:
        sys.exit("FAIL: %s listed: %s" % (m, disks[m]))
print("PASS: mount seen on change, df's numbers, bind and tmpfs left out")
PYEOF
