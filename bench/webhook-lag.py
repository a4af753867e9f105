#!/usr/bin/env python3
"""bench/webhook-lag.sh's load and receiver: pushes images concurrently to a Wharf (auth off) and times, for each
push, from the moment its manifest PUT returned to the moment the webhook receiver got its ImagePushed delivery
(matched by digest). Prints one TSV line per image: push_seconds lag_seconds, then a summary line on stderr."""
import hashlib
import http.client
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST, PORT = sys.argv[1].split(":")
IMAGES, CONCURRENCY, TIMEOUT = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
received = {}
pushed = {}
lock = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        at = time.monotonic()
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        digest = body.get("detail", {}).get("image-digest")
        with lock:
            received.setdefault(digest, at)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def request(conn, method, path, body=b"", headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    r.read()
    if r.status >= 300:
        raise RuntimeError(f"{method} {path}: {r.status}")


def push(i, conn):
    config = json.dumps({"architecture": "amd64", "os": "linux", "n": i, "t": time.time_ns()}).encode()
    layer = os.urandom(4096)
    descs = []
    for blob in (config, layer):
        d = "sha256:" + hashlib.sha256(blob).hexdigest()
        request(conn, "POST", f"/v2/bench/lag/blobs/uploads/?digest={d}", blob, {"Content-Type": "application/octet-stream"})
        descs.append({"digest": d, "size": len(blob)})
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **descs[0]},
                           "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **descs[1]}]}).encode()
    digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
    start = time.monotonic()
    request(conn, "PUT", f"/v2/bench/lag/manifests/v{i}", manifest, {"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
    with lock:
        pushed[digest] = (start, time.monotonic())


def pusher(items):
    conn = http.client.HTTPConnection(HOST, int(PORT), timeout=60)
    for i in items:
        push(i, conn)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[5])), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("ready", file=sys.stderr, flush=True)
    sys.stdin.readline()  # the shell subscribes, then says go
    t0 = time.monotonic()
    threads = [threading.Thread(target=pusher, args=(range(k, IMAGES, CONCURRENCY),)) for k in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pushing = time.monotonic() - t0
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        with lock:
            if all(d in received for d in pushed):
                break
        time.sleep(0.05)
    missing = [d for d in pushed if d not in received]
    for d, (start, done) in pushed.items():
        if d in received:
            print(f"{done - start:.4f}\t{received[d] - done:.4f}")
    print(f"pushed {len(pushed)} in {pushing:.2f}s ({len(pushed) / pushing:.1f}/s); missing {len(missing)}",
          file=sys.stderr, flush=True)
    server.shutdown()
    sys.exit(1 if missing else 0)


main()
