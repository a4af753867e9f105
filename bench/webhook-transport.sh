#!/usr/bin/env bash
# The registry's CPU per webhook delivery: Wharf's sender (Jetty's HTTP client) answering through a callback, as the
# outbox's first attempts use it, and waited for on a virtual thread per post, as the retries use it, against the
# java.net.http sender it replaced; side by side in one JVM, the order turning each round, posting to
# bench/webhook-sink.py (another process).
#
#   bench/webhook-transport.sh            # 10,000 posts a round, 16 at a time, 6 rounds (~1 min)
#   POSTS=20000 CONCURRENCY=64 ROUNDS=8 bench/webhook-transport.sh
#
# Writes bench/results/<date>-<commit>-webhook-transport.md (BENCH_RESULT overrides). Run it on an idle machine.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$BENCH_DIR/.." && pwd -P)
JAR=$REPO/wharf-bench/target/benchmarks.jar
: "${POSTS:=10000}" "${CONCURRENCY:=16}" "${ROUNDS:=6}"
: "${BENCH_RESULT:=$BENCH_DIR/results/$(date -u +%F)-$(git -C "$REPO" rev-parse --short HEAD)-webhook-transport.md}"

JDK=$("$REPO/bin/find-jdk" 25) || { echo "bench/webhook-transport.sh: no JDK 25 found" >&2; exit 1; }
(cd "$REPO" && ./mvnw -q -B -DskipTests -pl wharf-bench -am package >&2)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 "$BENCH_DIR/webhook-sink.py" "$port" & sink=$!
trap 'kill "$sink" 2> /dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/count" > /dev/null && break; sleep 0.1; done

tsv=$(mktemp)
"$JDK/bin/java" -cp "$JAR" io.wharf.bench.WebhookTransportCpu "http://127.0.0.1:$port/hook" "$POSTS" "$CONCURRENCY" "$ROUNDS" | tee "$tsv"
received=$(curl -sf "http://127.0.0.1:$port/count")

{
    printf '# Webhook sender CPU per delivery, %s, commit %s\n\n' "$(date -u '+%F %H:%M UTC')" "$(git -C "$REPO" rev-parse --short HEAD)"
    printf '%s cores; %s; %s posts a round, %s at a time, %s rounds, the order turning (round 0 is warm-up and left out);\n' \
        "$(nproc)" "$("$JDK/bin/java" -version 2>&1 | sed -n 2p)" "$POSTS" "$CONCURRENCY" "$ROUNDS"
    printf 'receiver: bench/webhook-sink.py, %s deliveries counted. CPU is the sending JVM'"'"'s alone.\n\n' "$received"
    printf '| sender | CPU µs per post (median round) | posts/s in that round |\n|---|---|---|\n'
    for s in jetty-callback jetty-blocking java.net.http; do
        awk -F'\t' -v s="$s" 'NR > 1 && $1 > 0 && $2 == s { print $4 "\t" $5 }' "$tsv" | sort -n -k2 |
            awk -F'\t' -v s="$s" '{ p[NR] = $1; c[NR] = $2 } END { m = int((NR + 1) / 2); printf "| %s | %s | %s |\n", s, c[m], p[m] }'
    done
    printf '\nRounds:\n\n```\n'; cat "$tsv"; printf '```\n'
} > "$BENCH_RESULT"
rm -f "$tsv"
echo "bench/webhook-transport.sh: wrote ${BENCH_RESULT#"$REPO"/}"
