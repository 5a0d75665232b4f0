#!/bin/sh
# Bad input to every binary gives one clear line on stderr and the documented
# exit status (docs/operations.md "Exit status"): 2 for a bad command line,
# 1 for a bad or unreadable configuration; -h, -V and --check-config on a good
# file exit 0. Never a crash (status >= 128), never a hang.
#
# Needs no root. As root, every run happens in a fresh empty network
# namespace (unshare -n) as well, so nothing can reach a real interface even
# if a daemon wrongly accepted its input; every config names a non-existent
# interface and a run_dir in our temporary directory for the same reason.
set -u
cd "$(dirname "$0")/.."

BIN=${NMT_BIN:-build}
ROLES="reporter capd arpd sysd"
TMP=$(mktemp -d /tmp/nmt-badinput.XXXXXX) || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM HUP
fails=0 runs=0

for r in $ROLES; do
	[ -x "$BIN/netmon-$r" ] || { echo "FAIL: $BIN/netmon-$r is missing: run 'make all' first"; exit 1; }
done

ISOLATE=""
if [ "$(id -u)" = 0 ]; then
	if unshare -n true 2>/dev/null; then
		ISOLATE="unshare -n"
	else
		echo "note: unshare -n is not available; running without a private network namespace"
	fi
fi

# one line per failure, whatever the command line held
bad() { printf 'FAIL: %s\n' "$*" | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n/\\n/g'; fails=$((fails + 1)); }

# run WANT_STATUS CMD...: run with a time limit, keep stdout/stderr in
# $TMP/out, $TMP/err; check the status and that it did not crash or hang.
run() {
	want=$1
	shift
	runs=$((runs + 1))
	what="$*"
	$ISOLATE timeout -k 2 5 "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	st=$?
	if [ "$st" -eq 124 ] || [ "$st" -eq 137 ]; then
		bad "$what: still running after 5 s (killed)"
		return 1
	fi
	if [ "$st" -ge 128 ]; then
		bad "$what: crashed (exit status $st = signal $((st - 128)))"
		return 1
	fi
	if [ "$st" -ne "$want" ]; then
		bad "$what: exit status $st, want $want; stderr: $(head -c 300 "$TMP/err")"
		return 1
	fi
	return 0
}

# After a failing run: exactly one line on stderr, nothing on stdout, and
# the line starts with the program's name.
one_line() { # ROLE
	n=$(wc -l <"$TMP/err")
	if [ "$n" -ne 1 ] || [ "$(tail -c 1 "$TMP/err" | od -An -c | tr -d ' ')" != '\n' ]; then
		bad "$what: $n lines on stderr, want exactly one: $(head -c 300 "$TMP/err")"
		return 1
	fi
	[ -s "$TMP/out" ] && { bad "$what: wrote to stdout: $(head -c 200 "$TMP/out")"; return 1; }
	case $(cat "$TMP/err") in
	"netmon-$1: "*) ;;
	*) bad "$what: the line does not start with 'netmon-$1: ': $(cat "$TMP/err")"; return 1 ;;
	esac
	return 0
}

err_has() { # TEXT
	grep -qF -- "$1" "$TMP/err" || { bad "$what: stderr lacks '$1': $(cat "$TMP/err")"; return 1; }
}

# --- inputs -----------------------------------------------------------------
good=$TMP/good.conf
cat >"$good" <<EOF
[agent]
server_id = nmt-bad-input
interface = nmt-none0
networks = 198.18.0.0/24
cycle_seconds = 1
run_dir = $TMP/run
state_dir = $TMP/state
user = nobody
EOF
chmod 644 "$good"

# bad value | line | key | text in the message
mkbad() { # NAME LINE-3-TEXT
	f=$TMP/$1.conf
	printf '[agent]\ninterface = nmt-none0\n%s\nrun_dir = %s/run\n' "$2" "$TMP" >"$f"
	chmod 644 "$f"
}
mkbad cycle_zero "cycle_seconds = 0"
mkbad cycle_word "cycle_seconds = five"
mkbad networks_bad "networks = 198.18.0.0/33"
mkbad unknown_key "colour = blue"
mkbad user_empty "user ="
printf '[agent]\ninterface = nmt-none0\n[arpd]\nactive_scan = maybe\n' >"$TMP/bool_bad.conf"
printf '[agent]\ninterface = nmt-none0\n[reporter]\noutputs = ftp\n' >"$TMP/outputs_bad.conf"
printf '[agent]\ninterface = nmt-none0\n[nosuch]\nkey = 1\n' >"$TMP/section_bad.conf"
chmod 644 "$TMP"/*.conf

cp "$good" "$TMP/world_writable.conf"
chmod 666 "$TMP/world_writable.conf"
mkdir "$TMP/a_directory"
mkfifo "$TMP/a_fifo" 2>/dev/null || : >"$TMP/a_fifo"
nl_path="$TMP/new
line.conf"
long_path=/$(printf '%05000d' 0)
nl_arg="stray
netmon-reporter: a forged second line"

# Random bytes as a config (fixed seeds: reproducible); the message must
# still be one line, whatever the bytes.
"${PY:-/usr/bin/python3}" - "$TMP" <<'EOF' || { echo "FAIL: cannot make random configs"; exit 1; }
import os, random, sys
for seed in range(12):
    rnd = random.Random(seed)
    body = bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 3000)))
    if seed % 3 == 0:   # a plausible start, then garbage
        body = b"[agent]\nserver_id = " + body
    p = os.path.join(sys.argv[1], "random%02d.conf" % seed)
    with open(p, "wb") as f:
        f.write(body)
    os.chmod(p, 0o644)
EOF

version=$(sed -n 's/^#define NETMON_VERSION "\(.*\)"$/\1/p' common/netmon.h)
[ -n "$version" ] || { echo "FAIL: cannot read NETMON_VERSION from common/netmon.h"; exit 1; }

for r in $ROLES; do
	b=$BIN/netmon-$r

	# --- command line: exit 2, one line naming the problem --------------------
	run 2 "$b" --no-such-option && one_line "$r" && err_has "unknown option '--no-such-option'"
	run 2 "$b" -q && one_line "$r" && err_has "unknown option '-q'"
	# inside a cluster of short options, the message must name the bad one
	run 2 "$b" -qh && one_line "$r" && err_has "unknown option '-q'"
	run 2 "$b" -c && one_line "$r" && err_has "'-c' needs an argument"
	run 2 "$b" --config && one_line "$r" && err_has "'--config' needs an argument"
	run 2 "$b" --check-config=yes && one_line "$r"
	run 2 "$b" -c "$good" stray && one_line "$r" && err_has "unexpected argument 'stray'"
	run 2 "$b" "$(printf 'bin\001\377ary')" && one_line "$r"
	# what the user typed is echoed, but a newline in it must not start a second line
	run 2 "$b" "$nl_arg" && one_line "$r"
	run 2 "$b" "--$nl_arg" && one_line "$r"

	# --- the config file itself: exit 1, one line naming it -------------------
	run 1 "$b" -c /nonexistent/netmon.conf && one_line "$r" && err_has "/nonexistent/netmon.conf"
	run 1 "$b" -c "$TMP/a_directory" && one_line "$r" && err_has "$TMP/a_directory"
	run 1 "$b" -c "$TMP/a_fifo" --check-config && one_line "$r" && err_has "$TMP/a_fifo"
	run 1 "$b" -c /dev/zero --check-config && one_line "$r" && err_has "/dev/zero"
	run 1 "$b" -c "$TMP/world_writable.conf" && one_line "$r" && err_has "world_writable.conf"
	run 1 "$b" -c "" && one_line "$r"
	run 1 "$b" -c "$long_path" && one_line "$r"
	run 1 "$b" -c "$nl_path" && one_line "$r"

	# --- bad values: exit 1, one line "FILE:LINE: [SECTION] KEY: ..." ----------
	while read -r name line key; do
		f=$TMP/$name.conf
		run 1 "$b" -c "$f" && one_line "$r" && err_has "$f:$line: " && err_has "$key"
		# --check-config says the same
		run 1 "$b" -c "$f" --check-config && one_line "$r" && err_has "$f:$line: "
	done <<-EOF
	cycle_zero 3 cycle_seconds
	cycle_word 3 cycle_seconds
	networks_bad 3 networks
	unknown_key 3 colour
	user_empty 3 user
	bool_bad 4 active_scan
	outputs_bad 4 outputs
	section_bad 3 nosuch
	EOF
	for f in "$TMP"/random*.conf; do
		run 1 "$b" -c "$f" --check-config && one_line "$r"
	done
	# the golden bad configs of the config parser: the daemons print exactly
	# the parser's message, prefixed with their name
	for f in tests/config/bad/*.conf; do
		[ -f "$f" ] && [ -f "${f%.conf}.err" ] || continue
		run 1 "$b" -c "$f" --check-config && one_line "$r" &&
			{ [ "$(cat "$TMP/err")" = "netmon-$r: $(cat "${f%.conf}.err")" ] ||
				bad "$what: '$(cat "$TMP/err")' differs from ${f%.conf}.err"; }
	done

	# --- the good paths ----------------------------------------------------------
	if run 0 "$b" -c "$good" --check-config; then
		[ -s "$TMP/err" ] && bad "$what: wrote to stderr: $(head -c 300 "$TMP/err")"
		grep -qx 'server_id = nmt-bad-input' "$TMP/out" ||
			bad "$what: the printed config lacks 'server_id = nmt-bad-input'"
		for s in agent capd arpd sysd reporter; do
			grep -qx "\[$s\]" "$TMP/out" || bad "$what: the printed config lacks [$s]"
		done
		# what it prints is a config that reads back to the same thing
		cp "$TMP/out" "$TMP/printed.conf"
		chmod 644 "$TMP/printed.conf"
		run 0 "$b" -c "$TMP/printed.conf" --check-config &&
			{ cmp -s "$TMP/out" "$TMP/printed.conf" ||
				bad "$r: --check-config of its own output prints something else"; }
	fi
	for opt in -V --version; do
		run 0 "$b" $opt && { [ "$(cat "$TMP/out")" = "netmon $version" ] ||
			bad "$b $opt printed '$(cat "$TMP/out")', want 'netmon $version'"; }
		[ -s "$TMP/err" ] && bad "$b $opt wrote to stderr"
	done
	for opt in -h --help; do
		run 0 "$b" $opt && { head -n 1 "$TMP/out" | grep -q "^usage: netmon-$r " ||
			bad "$b $opt: the first line is not 'usage: netmon-$r ...': $(head -n 1 "$TMP/out")"; }
		[ -s "$TMP/err" ] && bad "$b $opt wrote to stderr"
		grep -q -- "--check-config" "$TMP/out" || bad "$b $opt does not mention --check-config"
	done
done

# --- capd's own options ---------------------------------------------------------
b=$BIN/netmon-capd
run 2 "$b" --max-devices abc && one_line capd && err_has "--max-devices"
run 2 "$b" --max-devices 0 && one_line capd && err_has "--max-devices"
run 2 "$b" --max-devices 99999999999999999999 && one_line capd && err_has "--max-devices"
run 2 "$b" --networks 198.18.0.0/99 && one_line capd && err_has "--networks"
run 2 "$b" --read x.pcap --interface lo && one_line capd
run 2 "$b" --read && one_line capd
run 1 "$b" --read /nonexistent.pcap --dump && one_line capd && err_has "/nonexistent.pcap"
run 1 "$b" --read "$good" --dump && one_line capd && err_has "$good"
run 1 "$b" --read "$TMP/a_directory" --dump && one_line capd
run 2 "$b" --networks "198.18.0.0/33
x" && one_line capd
run 2 "$b" --max-devices "1
x" && one_line capd
run 1 "$b" --read "$nl_path" --dump && one_line capd

echo "$runs runs, $fails failures"
[ "$fails" -eq 0 ]
