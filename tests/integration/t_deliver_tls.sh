#!/bin/sh
# time-limit: 90
# TLS is verified (SPEC §8): an API with a certificate from a private CA is
# refused (nothing delivered, the snapshots stay spooled, the log says why);
# with ca_file naming that CA the spooled snapshots go out, in order. The
# API is named by a host name (api.netmon.test), answered by a DNS stub in
# the test's namespace (`ip netns exec` mounts /etc/netns/NS/resolv.conf and
# hosts over /etc's), so libcurl's threaded resolver and glibc's DNS client
# run inside the reporter's seccomp filter too. Bodies go gzip-compressed
# (gzip = yes) in the second run.
. tests/integration/lib.sh

command -v openssl >/dev/null 2>&1 || nmt_skip "needs openssl"
nmt_init tls
mkdir -p "/etc/netns/$NMT_NS" || nmt_fail "mkdir /etc/netns/$NMT_NS"
trap 'st=$?; rm -rf "/etc/netns/$NMT_NS"; (exit $st); nmt_cleanup' EXIT
printf '127.0.0.1 localhost\n' >"/etc/netns/$NMT_NS/hosts"
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"/etc/netns/$NMT_NS/resolv.conf"
nmt_bg ip netns exec "$NMT_NS" "$NMT_PY" "$NMT_DIR/dns_stub.py" --log "$NMT_TMP/dns.log"
C=$NMT_TMP/ca
mkdir "$C"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=netmon test CA $$" \
	-keyout "$C/ca.key" -out "$C/ca.pem" 2>/dev/null || nmt_fail "openssl: CA"
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
	-keyout "$C/srv.key" -out "$C/srv.csr" 2>/dev/null || nmt_fail "openssl: CSR"
printf 'subjectAltName=DNS:api.netmon.test,IP:127.0.0.1\n' >"$C/ext"
openssl x509 -req -in "$C/srv.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial \
	-days 2 -extfile "$C/ext" -out "$C/srv.pem" 2>/dev/null || nmt_fail "openssl: sign"
chmod 644 "$C/ca.pem"

echo ok >"$NMT_TMP/mode"
nmt_api 8443 "$NMT_TMP/api.jsonl" "$NMT_TMP/mode" --cert "$C/srv.pem" --key "$C/srv.key"
NETMON_API_KEY=nmt-key
export NETMON_API_KEY

nmt_config "[reporter]
api_url = https://api.netmon.test:8443/v1/snapshots
outputs = http, stdout"
nmt_start reporter
R=$NMT_PID
sleep 5
nmt_alive "$R" || nmt_fail "the reporter died (seccomp? see reporter.log)"
got=$("$NMT_PY" "$NMT_DIR/deliveries.py" attempts "$NMT_TMP/api.jsonl")
[ "$got" -eq 0 ] || nmt_fail "$got requests got through without the CA"
grep -qi 'certificate' "$NMT_TMP/reporter.log" || nmt_fail "the log does not say the certificate was refused"
nmt_stop "$R"
n=$(nmt_lines)
nmt_say "without ca_file: refused ($(grep -ci certificate "$NMT_TMP/reporter.log") log line(s)), $n snapshots spooled"

nmt_config "[reporter]
api_url = https://api.netmon.test:8443/v1/snapshots
outputs = http, stdout
ca_file = $C/ca.pem
gzip = yes"
nmt_start reporter
R=$NMT_PID
nmt_wait 20 "the $n spooled snapshots and new ones delivered" sh -c \
	"[ \$($NMT_PY $NMT_DIR/deliveries.py count $NMT_TMP/api.jsonl) -ge $((n + 2)) ]"
nmt_stop_all
grep -q '^api.netmon.test 1$' "$NMT_TMP/dns.log" || nmt_fail "the reporter never asked DNS for api.netmon.test"
"$NMT_PY" "$NMT_DIR/deliveries.py" ordered "$NMT_TMP/api.jsonl" "$NMT_SNAPS" || nmt_fail "delivery"
"$NMT_PY" "$NMT_DIR/deliveries.py" headers "$NMT_TMP/api.jsonl" nmt-key || nmt_fail "headers"
# gzip = yes: every body arrived compressed (the receiver gunzips and parses it)
[ "$(grep -c '"content-encoding": "gzip"' "$NMT_TMP/api.jsonl")" -eq "$("$NMT_PY" "$NMT_DIR/deliveries.py" attempts "$NMT_TMP/api.jsonl")" ] ||
	nmt_fail "not every body was sent with Content-Encoding: gzip"
nmt_validate
nmt_say "PASS"
