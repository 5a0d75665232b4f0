# The pieces of tests/run-suite.sh that decide a test's fate: sourced by the
# suite and by tests/t_suite_limits.sh, which checks that a hang becomes a
# named FAIL. Needs LOGDIR, pass, fail, skip, failed set by the caller.

record() { # name status
	case "$2" in
	0) pass=$((pass + 1)); echo "PASS: $1" ;;
	77) skip=$((skip + 1)); echo "SKIP: $1" ;;
	*) fail=$((fail + 1)); failed="$failed $1"; echo "FAIL: $1 (exit $2, log $LOGDIR/$(echo "$1" | tr '/ ' '__').log)" ;;
	esac
}

run() { # name limit cmd...
	name=$1 limit=$2; shift 2
	log="$LOGDIR/$(echo "$name" | tr '/ ' '__').log"
	timeout -k 15 "$limit" "$@" >"$log" 2>&1 </dev/null
	st=$?
	case $st in
	124|137) echo "TIMEOUT: $name did not finish within ${limit}s" >>"$log" ;;
	esac
	[ $st -ne 0 ] && [ $st -ne 77 ] && tail -n 30 "$log" | sed 's/^/    /'
	record "$name" $st
}

script_limit() { # script: its "# time-limit: N" line, else SCRIPT_LIMIT
	l=$(sed -n 's/^# time-limit: *\([0-9][0-9]*\).*/\1/p' "$1" | head -n 1)
	echo "${l:-$SCRIPT_LIMIT}"
}

