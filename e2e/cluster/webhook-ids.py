"""A webhook receiver for e2e/cluster/cases/webhooks.sh: answers 204 and appends each request's Wharf-Event-Id to a
file, one line per request (duplicates kept: the section counts them).

    python3 e2e/cluster/webhook-ids.py PORT FILE
"""
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock, open(sys.argv[2], "a") as out:
            out.write(self.headers.get("Wharf-Event-Id", "-") + "\n")
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
