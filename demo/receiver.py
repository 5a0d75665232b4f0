#!/usr/bin/python3
"""The demo's "API": an HTTP server that accepts POSTed snapshots, saves each
body as DIR/NNNN.json and answers 200 (or 400 for a body that is not JSON).
It also counts what it got in DIR/count, for the table.

  receiver.py ADDRESS PORT DIR
"""
import http.server
import json
import os
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "netmon-demo-receiver"

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 16 << 20))
        try:
            json.loads(body)
        except ValueError:
            self.send_response(400)
            self.end_headers()
            return
        d = self.server.outdir
        self.server.count += 1
        with open(os.path.join(d, "%04d.json" % self.server.count), "wb") as f:
            f.write(body)
        tmp = os.path.join(d, ".count")
        with open(tmp, "w") as f:
            f.write("%d %s\n" % (self.server.count, self.headers.get("Authorization", "-")[:6]))
        os.replace(tmp, os.path.join(d, "count"))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, fmt, *args):
        pass


def main():
    addr, port, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(outdir, exist_ok=True)
    srv = http.server.HTTPServer((addr, port), Handler)
    srv.outdir = outdir
    srv.count = 0
    srv.serve_forever()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
