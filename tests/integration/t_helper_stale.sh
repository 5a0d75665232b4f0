#!/bin/sh
# time-limit: 90
# A helper that stops talking but keeps its connection (SIGSTOP) is "stale"
# in the snapshot once it has been silent for more than three of its own
# reporting intervals (1 s heartbeats), and "connected" again after SIGCONT.
# Measured from the SIGSTOP to the first snapshot that says stale: at most
# 3 intervals + 1 snapshot cycle (the last record may have come just before
# the stop, and snapshots are emitted once per cycle, 1 s here).
. tests/integration/lib.sh

nmt_init stale veth
nmt_config
nmt_start_all
t0=$(date +%s%N)
kill -STOP "$NMT_CAPD"
nmt_wait 6 "capd stale after SIGSTOP" nmt_helper_is capd state stale
dt=$(( ($(date +%s%N) - t0) / 1000000 ))
age=$(nmt_helper capd lastRecordAgeSeconds)
cap=$(nmt_snap field network.capture.state)
nmt_say "capd stale ${dt} ms after SIGSTOP (last record ${age} s before that snapshot; capture.state $cap)"
[ "$dt" -le 4200 ] || nmt_fail "capd turned stale only ${dt} ms after SIGSTOP"
for r in arpd sysd; do nmt_helper_is $r state connected || nmt_fail "$r is not connected"; done
kill -CONT "$NMT_CAPD"
nmt_wait 4 "capd connected again after SIGCONT" nmt_helper_is capd state connected
nmt_say "capd connected again after SIGCONT"
nmt_validate
