#!/bin/sh
# Every man page renders without a warning from groff (-ww) or man
# (--warnings), every binary and netmon.conf(5)/netmon(7) have one, and every
# netmon page a SEE ALSO names exists.
set -u
cd "$(dirname "$0")/.." || exit 1
command -v groff >/dev/null 2>&1 || { echo "SKIP: needs groff (package groff-base)"; exit 77; }
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
for page in netmon.7 netmon.conf.5 netmon-reporter.8 netmon-capd.8 netmon-arpd.8 netmon-sysd.8; do
	[ -f "docs/man/$page" ] || bad "docs/man/$page is missing"
done
for m in docs/man/*.[1-8]; do
	out=$(LC_ALL=C.UTF-8 groff -man -ww -z -Tutf8 "$m" 2>&1)
	[ -z "$out" ] || bad "$m: groff -ww: $out"
	if command -v man >/dev/null 2>&1; then
		out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$m" 2>&1 >/dev/null)
		[ -z "$out" ] || bad "$m: man --warnings: $out"
	fi
	# the section in .TH matches the file name
	sect=${m##*.}
	head -n 5 "$m" | grep -Eq "^\.TH [^ ]+ $sect " || bad "$m: .TH does not say section $sect"
	# SEE ALSO: each netmon page named exists
	for ref in $(sed -n '/^\.SH SEE ALSO/,$p' "$m" | sed -n 's/^\.BR \(netmon[^ ]*\) (\([0-9]\)).*/\1.\2/p' | sed 's/\\-/-/g'); do
		[ -f "docs/man/$ref" ] || bad "$m: SEE ALSO names $ref, which does not exist"
	done
done
[ "$fails" -eq 0 ] || { echo "$fails problem(s)"; exit 1; }
echo "$(ls docs/man/*.[1-8] | wc -l) man pages lint-clean"
