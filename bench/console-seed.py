#!/usr/bin/env python3
"""Seeds a fresh Wharf (authentication off) for bench/console.sh, over its own HTTP APIs.

    console-seed.py ADDR OUT_DIR REPOS TAGS BIG_TAGS PUBLIC THREADS

One config and one layer blob are pushed once, to `big`; every other repository gets them by an automatic
cross-repository mount (POST .../blobs/uploads/?mount=DIGEST, no `from`). `big` gets BIG_TAGS tags, one distinct
manifest each (an annotation makes each digest unique); the other REPOS-1 repositories share the remaining
TAGS-BIG_TAGS tags evenly, again one manifest per tag. Every tenth repository (repo-00001, repo-00011, ...), at
most PUBLIC of them, is made public
(PUT /wharf/v1/repositories/NAME/public) with catalog data (ECR Public PutRepositoryCatalogData: a description
with searchable words, architectures, operating systems). THREADS keep-alive connections work in parallel.
Writes OUT_DIR/big-digests (the digests of `big`, sorted) and prints a one-line summary.
"""
import hashlib
import http.client
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
WORDS = ["nginx", "postgres", "redis", "python", "golang", "alpine", "debian", "node", "java", "rust"]

addr, out_dir = sys.argv[1], sys.argv[2]
repos, tags, big_tags, public, threads = (int(a) for a in sys.argv[3:8])
host, port = addr.rsplit(":", 1)
local = threading.local()


def conn():
    if not hasattr(local, "c"):
        local.c = http.client.HTTPConnection(host, int(port), timeout=60)
    return local.c


def call(method, path, body=None, headers=None, expect=(200, 201, 202)):
    for attempt in range(3):
        try:
            c = conn()
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            if r.status not in expect:
                raise SystemExit(f"{method} {path}: HTTP {r.status} {data[:300]!r}")
            return data
        except (ConnectionError, http.client.HTTPException):
            local.__dict__.pop("c", None)
            if attempt == 2:
                raise


def descriptor(media, blob):
    return {"mediaType": media, "digest": "sha256:" + hashlib.sha256(blob).hexdigest(), "size": len(blob)}


CONFIG = json.dumps({"architecture": "amd64", "os": "linux"}).encode()
LAYER = hashlib.sha512(b"wharf console bench layer").digest() * 64
CONFIG_D = descriptor("application/vnd.oci.image.config.v1+json", CONFIG)
LAYER_D = descriptor("application/vnd.oci.image.layer.v1.tar+gzip", LAYER)


def manifest(repo, n):
    return json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": CONFIG_D, "layers": [LAYER_D],
                       "annotations": {"r": repo, "n": str(n)}}, separators=(",", ":")).encode()


def put_tags(repo, first, count):
    digests = []
    for n in range(first, first + count):
        m = manifest(repo, n)
        call("PUT", f"/v2/{repo}/manifests/t{n}", m, {"Content-Type": OCI_MANIFEST})
        digests.append("sha256:" + hashlib.sha256(m).hexdigest())
    return digests


def seed_repo(i, per_repo, extra):
    repo = f"repo-{i:05d}"
    for d in (CONFIG_D, LAYER_D):
        call("POST", f"/v2/{repo}/blobs/uploads/?mount={d['digest']}", b"", expect=(201,))
    put_tags(repo, 0, per_repo + (1 if i <= extra else 0))
    if i % 10 == 1 and i // 10 < public:
        call("PUT", f"/wharf/v1/repositories/{repo}/public")
        words = f"{WORDS[i % len(WORDS)]} {WORDS[(i // 10) % len(WORDS)]} image number {i}"
        body = json.dumps({"repositoryName": repo, "catalogData": {
            "description": words, "aboutText": f"About {repo}: {words}.",
            "architectures": ["x86-64", "ARM 64"], "operatingSystems": ["Linux"]}}).encode()
        call("POST", "/", body, {"Content-Type": "application/x-amz-json-1.1",
                                 "X-Amz-Target": "SpencerFrontendService.PutRepositoryCatalogData"})


def main():
    start = time.monotonic()
    for d, blob in ((CONFIG_D, CONFIG), (LAYER_D, LAYER)):
        call("POST", f"/v2/big/blobs/uploads/?digest={d['digest']}", blob,
             {"Content-Type": "application/octet-stream"}, expect=(201,))
    per_repo, extra = divmod(max(0, tags - big_tags), max(1, repos - 1))  # the first `extra` get one more
    chunk = max(1, big_tags // threads)
    with ThreadPoolExecutor(threads) as pool:
        big = [pool.submit(put_tags, "big", f, min(chunk, big_tags - f)) for f in range(0, big_tags, chunk)]
        rest = [pool.submit(seed_repo, i, per_repo, extra) for i in range(1, repos)]
        digests = sorted(d for f in big for d in f.result())
        for f in rest:
            f.result()
    with open(f"{out_dir}/big-digests", "w") as out:
        out.write("\n".join(digests) + "\n")
    seconds = time.monotonic() - start
    total = big_tags + per_repo * (repos - 1) + extra
    print(f"seeded {repos} repositories ({min(public, (repos + 8) // 10)} public), {total} tags "
          f"({big_tags} in big) over HTTP in {seconds:.1f} s")


main()
