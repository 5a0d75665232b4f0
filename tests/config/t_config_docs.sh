#!/bin/sh
# Every configuration key is documented where users look: docs/config.md (in
# its section's table), the man page (in its SECTION), and the shipped
# packaging/netmon.conf (in its section; commented out unless the package sets it). The key list comes
# from the parser itself (the printed defaults), so a new key without docs
# fails here. Also: the man page renders without groff warnings.
set -u
cd "$(dirname "$0")/../.." || exit 1
TOOL=build/tools/config_dump
[ -x "$TOOL" ] || { echo "FAIL: $TOOL missing (make all)"; exit 1; }
TMP=$(mktemp -d /tmp/nmt-cfgdoc.XXXXXX) || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM

: >"$TMP/empty.conf"
"$TOOL" "$TMP/empty.conf" >"$TMP/defaults" || { echo "FAIL: config_dump of an empty file"; exit 1; }
# "section key" pairs
awk '/^\[/ { s = substr($0, 2, length($0) - 2); next }
     / =/  { print s, $1 }' "$TMP/defaults" >"$TMP/keys"
n=$(wc -l <"$TMP/keys")
[ "$n" -ge 20 ] || { echo "FAIL: only $n keys found in the printed defaults"; exit 1; }

# text of one section: from its heading to the next heading
section_md() { awk -v h="### [$1]" '$0 == h { on = 1; next } /^##/ { on = 0 } on' docs/config.md; }
section_man() { awk -v h=".SH \"SECTION [$1]\"" '$0 == h { on = 1; next } /^\.SH/ { on = 0 } on' docs/man/netmon.conf.5; }
section_pkg() { awk -v h="[$1]" '$0 == h { on = 1; next } /^\[/ { on = 0 } on' packaging/netmon.conf; }

fails=0
while read -r sect key; do
	section_md "$sect" | grep -qF "| \`$key\` |" ||
		{ echo "FAIL: docs/config.md: [$sect] $key has no table row"; fails=$((fails + 1)); }
	section_man "$sect" | grep -q "^\.BR $key " ||
		{ echo "FAIL: docs/man/netmon.conf.5: [$sect] $key not described"; fails=$((fails + 1)); }
	section_pkg "$sect" | grep -q "^#\{0,1\}$key =" ||
		{ echo "FAIL: packaging/netmon.conf: [$sect] $key not listed"; fails=$((fails + 1)); }
done <"$TMP/keys"

if command -v groff >/dev/null 2>&1; then
	LC_ALL=C.UTF-8 groff -man -ww -z -Tutf8 docs/man/netmon.conf.5 >"$TMP/groff" 2>&1
	if [ -s "$TMP/groff" ]; then
		echo "FAIL: groff warnings for netmon.conf.5:"; cat "$TMP/groff"; fails=$((fails + 1))
	fi
else
	echo "note: groff not installed, man page not rendered"
fi

[ "$fails" -eq 0 ] || { echo "$fails problem(s)"; exit 1; }
echo "$n keys documented in docs/config.md, netmon.conf.5 and packaging/netmon.conf"
