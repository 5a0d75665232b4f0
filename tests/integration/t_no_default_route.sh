#!/bin/sh
# Without a default route (and no `interface` set) the capturing helpers refuse
# to start with one clear line; sysd and the reporter do not need an interface
# and start anyway with a warning.
set -u
[ "$(id -u)" -eq 0 ] || { echo "needs root (netns)"; exit 77; }
cd "$(dirname "$0")/../.."
ns=nmt-noroute-$$
dir=$(mktemp -d)
trap 'ip netns del "$ns" 2>/dev/null; rm -rf "$dir"' EXIT
trap "exit 1" HUP INT TERM
ip netns add "$ns" || exit 1
printf '[agent]\nuser = nobody\nrun_dir = %s/run\n' "$dir" > "$dir/netmon.conf"
chmod 755 "$dir"; chmod 644 "$dir/netmon.conf"
fail=0
for b in capd arpd sysd reporter; do
	ip netns exec "$ns" build/netmon-$b -c "$dir/netmon.conf" --check-config >"$dir/out" 2>"$dir/err"
	rc=$?
	lines=$(wc -l < "$dir/err")
	case $b in
	capd|arpd) want=1 ;;
	*) want=0 ;;
	esac
	if [ "$rc" -ne "$want" ] || [ "$lines" -ne 1 ] || ! grep -q "no default route" "$dir/err"; then
		echo "FAIL $b: exit $rc (want $want), $lines stderr lines:"; cat "$dir/err"; fail=1
	else
		echo "ok $b: exit $rc: $(cat "$dir/err")"
	fi
done
exit $fail
