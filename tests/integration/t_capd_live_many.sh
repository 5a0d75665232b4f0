#!/bin/sh
# t_capd_live.sh with a big table: 6000 hosts, i.e. ~18000 keys changing at
# once. capd's per-second update is then ~18 full records, far more than a
# socket buffer holds: it must still reach the reporter completely (capd
# resumes its flush when the socket drains), within the test's two cycles.
NMT_LIVE_HOSTS=${NMT_LIVE_HOSTS:-6000} NMT_LIVE_PACKETS=${NMT_LIVE_PACKETS:-60000} \
	exec sh "$(dirname "$0")/t_capd_live.sh"
