#!/bin/sh
# time-limit: 180
# SPEC §8 / issue 10: "a full disk is logged loudly and collection
# continues". The reporter's state_dir is a 64 KiB tmpfs (mounted in a
# private mount namespace of this test, so nothing outside sees it) and the
# API answers 503: the spool fills the disk within a few cycles. Then:
#   - one loud log line (not one per cycle), and the persisted state's
#     failed writes are logged too, not fatal;
#   - one snapshot per cycle on stdout throughout, none late;
#   - agent.delivery.spoolWriteFailures counts the snapshots the disk refused
#     (kept in memory), droppedSnapshots stays 0;
#   - when the API accepts again every snapshot arrives exactly once, in
#     order, the ones that never reached the disk included.
if [ "${NMT_DISKFULL_INNER:-}" != 1 ]; then
	[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (mount namespace, tmpfs)"; exit 77; }
	command -v unshare >/dev/null 2>&1 || { echo "SKIP: needs unshare (util-linux)"; exit 77; }
	small=$(mktemp -d /tmp/nmt-diskfull.XXXXXX) || exit 1
	NMT_DISKFULL_INNER=1 NMT_DISKFULL_DIR=$small unshare --mount --propagation private sh "$0"
	st=$?
	rmdir "$small" 2>/dev/null   # the tmpfs went with the mount namespace
	exit $st
fi

. tests/integration/lib.sh

nmt_init diskfull
STATE=$NMT_DISKFULL_DIR
mount -t tmpfs -o size=64k,mode=755 nmt-diskfull "$STATE" || nmt_fail "cannot mount a tmpfs on $STATE"
API_LOG=$NMT_TMP/api.jsonl
MODE=$NMT_TMP/mode
echo 503 >"$MODE"
nmt_config "[reporter]
api_url = http://127.0.0.1:8080/v1/snapshots
outputs = http, stdout
timeout_seconds = 5"
sed -i "s|^state_dir = .*|state_dir = $STATE|" "$NMT_CONF"
nmt_api 8080 "$API_LOG" "$MODE"
nmt_start reporter
log=$NMT_TMP/reporter.log
nmt_wait 40 "the disk full" grep -q 'SPOOL WRITE FAILED' "$log"
nmt_say "disk full after $(nmt_lines) snapshots: $(grep -m1 'SPOOL WRITE FAILED' "$log")"
df -k "$STATE" | tail -1
# ten more cycles on a full disk
sleep 10
fails=$(nmt_snap field agent.delivery.spoolWriteFailures)
dropped=$(nmt_snap field agent.delivery.droppedSnapshots)
nmt_say "spoolWriteFailures $fails, droppedSnapshots $dropped"
[ "$fails" -ge 8 ] || nmt_fail "spoolWriteFailures is $fails after 10 cycles on a full disk"
[ "$dropped" -eq 0 ] || nmt_fail "$dropped snapshots dropped (memory fallback is 8 MiB)"
loud=$(grep -c 'SPOOL WRITE FAILED' "$log")
[ "$loud" -le 2 ] || nmt_fail "the full disk was logged $loud times, not once"
# collection never paused: a snapshot every cycle on stdout, the newest fresh
"$NMT_PY" "$NMT_DIR/snapshots.py" cadence "$NMT_SNAPS" 1 1 ||
	nmt_fail "snapshots did not keep to their 1 s schedule on a full disk"

echo ok >"$MODE"
want=$(nmt_lines)
nmt_wait 60 "the backlog of $want snapshots delivered" sh -c \
	"[ \$($NMT_PY $NMT_DIR/deliveries.py count $API_LOG) -ge $want ]"
nmt_stop_all
"$NMT_PY" "$NMT_DIR/deliveries.py" ordered "$API_LOG" "$NMT_SNAPS" ||
	nmt_fail "not every snapshot arrived once, in order"
saves=$(grep -c 'cannot save' "$log")
nmt_say "the persisted state's failed saves logged $saves time(s): $(grep -m1 'cannot save' "$log")"
[ "$saves" -ge 1 ] && [ "$saves" -le 2 ] || nmt_fail "failed state saves logged $saves times"
umount "$STATE"
nmt_validate
nmt_say PASS
