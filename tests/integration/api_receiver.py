#!/usr/bin/python3
"""A stand-in for the snapshot API, for the delivery tests. Standard library
only; run with /usr/bin/python3 inside the test's network namespace.

  api_receiver.py --port N --log FILE --mode-file FILE [--cert PEM --key PEM]

Every request is recorded as one JSON line in --log, after it is answered:
  {"t": unix time, "path", "status", "headers": {lower-case name: value},
   "body": the parsed JSON (gunzipped if Content-Encoding: gzip) or null,
   "bodyError": why the body did not parse}
How to answer is read from --mode-file at every request (so a test switches
modes by rewriting it), one word:
  ok            204
  200           200 with a small body
  otlp          200 with an empty OTLP ExportMetricsServiceResponse body ({})
  partial:N     200 with an OTLP partial success: N rejected data points
  503 / 500 / 401 / 403 / 400   that status
  429:SECS      429 with "Retry-After: SECS"
  429date:SECS  429 with Retry-After as an HTTP date SECS from now
  503:SECS      503 with "Retry-After: SECS"
  hang          read the request, never answer (until the client gives up)
  slow:SECS     answer 204 after SECS seconds
  close         close the connection without answering
"""
import argparse
import email.utils
import gzip
import http.server
import json
import ssl
import sys
import threading
import time

LOCK = threading.Lock()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--mode-file", required=True)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    a = ap.parse_args()

    def mode():
        try:
            with open(a.mode_file) as f:
                return f.read().strip() or "ok"
        except OSError:
            return "ok"

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def record(self, status, raw):
            body, err = None, None
            try:
                if self.headers.get("Content-Encoding", "") == "gzip":
                    raw = gzip.decompress(raw)
                body = json.loads(raw)
            except Exception as e:  # recorded, the test decides
                err = str(e)
            rec = {"t": time.time(), "path": self.path, "status": status,
                   "headers": {k.lower(): v for k, v in self.headers.items()},
                   "body": body, "bodyError": err}
            with LOCK, open(a.log, "a") as f:
                f.write(json.dumps(rec) + "\n")

        def answer(self, status, headers=(), body=b""):
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(n)
            m = mode()
            word, _, arg = m.partition(":")
            if word == "hang":
                self.record(0, raw)
                time.sleep(3600)
                return
            if word == "close":
                self.record(0, raw)
                self.close_connection = True
                return
            if word == "slow":
                time.sleep(float(arg or 5))
                word = "ok"
            if word == "ok":
                status, hdrs, body = 204, [], b""
            elif word == "200":
                status, hdrs, body = 200, [], b'{"ok":true}'
            elif word == "otlp":
                status, hdrs, body = 200, [("Content-Type", "application/json")], b"{}"
            elif word == "partial":
                status, hdrs = 200, [("Content-Type", "application/json")]
                body = json.dumps({"partialSuccess": {
                    "rejectedDataPoints": str(int(arg)),
                    "errorMessage": "test receiver rejects %s point(s)\nsecond line" % arg}}).encode()
            elif word in ("429", "503") and arg:
                status, body = int(word), b"busy"
                hdrs = [("Retry-After", arg)]
            elif word == "429date":
                status, body = 429, b"busy"
                hdrs = [("Retry-After", email.utils.formatdate(time.time() + float(arg), usegmt=True))]
            else:
                status, hdrs, body = int(word), [], b"no"
            self.answer(status, hdrs, body)
            self.record(status, raw)

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    if a.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    print("listening on %d" % a.port, flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
