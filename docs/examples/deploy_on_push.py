#!/usr/bin/env python3
"""Deploy on push: a Wharf webhook receiver that pulls every pushed image by digest.

Verifies the Wharf-Signature header (HMAC-SHA256 of "<t>.<body>" with the subscription's secret, at most
TOLERANCE seconds old), drops duplicates by the envelope's id (delivery is at least once), answers 202 at once
and pulls in the background with skopeo, so a slow pull never makes Wharf time out and retry.

Environment: WEBHOOK_SECRET (required), REGISTRY (host:port of Wharf), PORT (8080), DEPLOY_DIR (./deployed),
SKOPEO_ARGS (extra arguments of `skopeo copy`, e.g. "--src-tls-verify=false --src-creds AWS:<token>").
"""
import hashlib
import hmac
import json
import os
import shlex
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = os.environ["WEBHOOK_SECRET"].encode()
REGISTRY = os.environ.get("REGISTRY", "127.0.0.1:5000")
DEPLOY_DIR = os.environ.get("DEPLOY_DIR", "deployed")
SKOPEO_ARGS = shlex.split(os.environ.get("SKOPEO_ARGS", ""))
TOLERANCE = 300
MAX_BODY = 1 << 20
seen = set()
lock = threading.Lock()


def verified(header, body):
    parts = dict(p.split("=", 1) for p in (header or "").split(",") if "=" in p)
    if "t" not in parts or "v1" not in parts or not parts["t"].isdigit():
        return False
    if abs(time.time() - int(parts["t"])) > TOLERANCE:
        return False
    expected = hmac.new(SECRET, parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def deploy(repository, digest):
    target = os.path.join(DEPLOY_DIR, repository.replace("/", "_") + "@" + digest.replace(":", "-"))
    cmd = ["skopeo", "copy", *SKOPEO_ARGS, f"docker://{REGISTRY}/{repository}@{digest}", f"oci:{target}:deployed"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    status = "deployed" if result.returncode == 0 else "FAILED " + result.stderr.strip()
    print(f"{status} {repository}@{digest}", flush=True)


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        if length > MAX_BODY:
            return self.answer(413)
        body = self.rfile.read(length)
        if not verified(self.headers.get("Wharf-Signature"), body):
            return self.answer(401)
        event = json.loads(body)
        with lock:
            duplicate = event["id"] in seen
            seen.add(event["id"])
        detail = event.get("detail", {})
        if not duplicate and event.get("detail-type") == "ECR Image Action" and detail.get("action-type") == "PUSH":
            threading.Thread(target=deploy, args=(detail["repository-name"], detail["image-digest"])).start()
        self.answer(202)

    def answer(self, status):
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8080"))
    print(f"listening on {port}", file=sys.stderr, flush=True)
    ThreadingHTTPServer(("127.0.0.1", port), Receiver).serve_forever()
