#!/bin/sh
# time-limit: 120
# run_dir and the config file of a root-started reporter (docs/security.md,
# "Sockets and run_dir"; docs/config.md, strict modes):
# (a) an existing run_dir that is root:root 1777, or owned by another user,
#     is refused with one line, and left as it was;
# (b) a symlink planted where a socket goes is refused, its target untouched;
# (c) a process with the reporter's uid that swaps each freshly bound socket
#     for a symlink to a root-owned file, while the reporter starts again and
#     again, never gets that file chowned or chmodded (the reporter works
#     through a descriptor of a run_dir that is root's while it prepares it);
# (d) a group-writable config file is refused with one line naming it.
. tests/integration/lib.sh

nmt_init rundir
nmt_config
rd=$NMT_TMP/run
log=$NMT_TMP/reporter.log
nobody=$(id -u nobody)

# Start the reporter, wait until it listens or exits; sets $rc (exit status, or
# "up" when it is listening, then stopped).
try_reporter() {
	: >"$log"
	nmt_start reporter
	local pid=$NMT_PID n=0
	rc=""
	while [ $n -lt 50 ]; do
		if ! nmt_alive "$pid"; then
			wait "$pid"
			rc=$?
			nmt_untrack "$pid"
			return
		fi
		if grep -q "listening in" "$log"; then
			rc=up
			break
		fi
		sleep 0.1
		n=$((n + 1))
	done
	kill -TERM "$pid"
	wait "$pid" 2>/dev/null
	nmt_untrack "$pid"
	[ -n "$rc" ] || nmt_fail "the reporter neither listened nor exited within 5 s"
}

refused() { # WHAT PATTERN
	[ "$rc" != up ] && [ "$rc" -ne 0 ] || nmt_fail "$1: the reporter started (rc $rc)"
	[ "$(grep -c . "$log")" -eq 1 ] || { cat "$log"; nmt_fail "$1: not exactly one log line"; }
	grep -q "$2" "$log" || { cat "$log"; nmt_fail "$1: no line saying '$2'"; }
	nmt_say "$1: refused: $(cat "$log")"
}

# (a) a shared 1777 directory, and one owned by another user
mkdir -m 1777 "$rd"
chmod 1777 "$rd"
try_reporter
refused "root:root 1777 run_dir" "run_dir $rd is writable by others (mode 1777); refusing"
[ "$(stat -c '%u %a' "$rd")" = "0 1777" ] || nmt_fail "the refused run_dir was changed: $(stat -c '%u %a' "$rd")"
chmod 0750 "$rd"
chown 12345:12345 "$rd"
try_reporter
refused "run_dir of uid 12345" "run_dir $rd is owned by uid 12345, neither root nor"
[ "$(stat -c %u "$rd")" = 12345 ] || nmt_fail "the refused run_dir changed owner"
rmdir "$rd"

# a normal start, for contrast: run_dir ends up the reporter's, 0750
try_reporter
[ "$rc" = up ] || nmt_fail "the reporter did not start in a fresh run_dir (rc $rc)"
[ "$(stat -c '%u %a' "$rd")" = "$nobody 750" ] || nmt_fail "run_dir is $(stat -c '%u %a' "$rd")"
[ "$(stat -c '%u %a' "$rd/capd.sock")" = "$nobody 660" ] || nmt_fail "capd.sock is $(stat -c '%u %a' "$rd/capd.sock")"

# (b) a planted symlink where a socket goes
target=$NMT_TMP/target
echo "root's file" >"$target"
chmod 0600 "$target"
rm -f "$rd/capd.sock"
ln -s "$target" "$rd/capd.sock"
chown -h nobody "$rd/capd.sock"
try_reporter
refused "planted symlink" "capd.sock exists and is not a socket (a symlink); refusing it"
[ "$(stat -c '%u %a' "$target")" = "0 600" ] || nmt_fail "the symlink's target changed: $(stat -c '%u %a' "$target")"
rm -f "$rd/capd.sock"

# (c) the race: swap every new socket for a symlink while the reporter starts
ip netns exec "$NMT_NS" setpriv --reuid nobody --regid "$(id -g nobody)" --clear-groups \
	"$NMT_BIN/tools/rundir_racer" "$rd" "$target" &
racer=$!
nmt_track "$racer"
ups=0
i=0
while [ $i -lt 30 ]; do
	rm -f "$rd"/*.sock
	try_reporter
	[ "$rc" = up ] && ups=$((ups + 1))
	got=$(stat -c '%u %a' "$target")
	[ "$got" = "0 600" ] || nmt_fail "attempt $i: the racer got $target handed over (now uid/mode $got)"
	i=$((i + 1))
done
nmt_kill9 "$racer"
nmt_say "30 starts with a racer swapping sockets for symlinks: $target still root's 0600 ($ups starts listened)"
[ "$ups" -gt 0 ] || nmt_fail "no start got as far as listening"

# (d) a group-writable config file, started as root
chmod 0664 "$NMT_CONF"
try_reporter
refused "group-writable config" "$NMT_CONF: is writable by its group; refusing it"
chmod 0644 "$NMT_CONF"
nmt_say "run_dir and config checks hold"
