#!/usr/bin/python3
"""A tiny HTTP responder for a lab node: every GET answers with the node's name.

Binds 0.0.0.0:80 inside the node's network namespace, so it answers on the
node's own address and on the VIP whenever the node holds it. The prober in
the client namespace reads the body to know which node answered.
"""
import http.server
import sys

BODY = sys.argv[1].encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass  # 100 requests a second would flood the log


class Server(http.server.ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True


Server(("0.0.0.0", 80), Handler).serve_forever()
