#!/usr/bin/env bash
# One blob's first pull through the cache, timed at the client, for one or more builds side by side:
#
#   bench/pull-through-blob.sh /path/to/checkout-a /path/to/checkout-b      # each built (bin/wharf works)
#
# Isolates the cache's blob path from skopeo (which pulls blobs one after the other and spends about a core of its
# own): per round and build, a fresh Wharf (embedded default, auth off) in front of Debian's docker-registry holding
# bench/run's image (BENCH_IMAGE_MIB, default 1024); its largest layer fetched with curl through a fresh rule each
# time, to /dev/null ("null") and to a file ("file"), and straight from the upstream to a file ("direct"). The first
# "null" of a round is the cold process. Milliseconds. Rounds alternate the builds (PTC_BLOB_ROUNDS, default 3).
# Report: bench/results/YYYY-MM-DD-<commit>-pull-through-blob.md (or $BENCH_RESULT).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$BENCH_DIR/.." && pwd -P)
: "${PTC_BLOB_ROUNDS:=3}" "${BENCH_IMAGE_MIB:=1024}" "${BENCH_TMPDIR:=${TMPDIR:-/tmp}}"
: "${BENCH_CACHE:=${HOME:-/root}/.cache/wharf-bench}"
(($# > 0)) || set -- "$REPO"
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh" # log, die, free_port, wait_up, BENCH_PIDS and stop_all
eval "$(sed -n '/^make_image() {/,/^}/p' "$BENCH_DIR/run")"
for tool in skopeo docker-registry curl jq python3; do command -v "$tool" > /dev/null || die "$tool is missing"; done
for b in "$@"; do [[ -x $b/bin/wharf ]] || die "$b/bin/wharf is missing"; done

WORK=$(mktemp -d "$BENCH_TMPDIR/wharf-bench-ptcblob.XXXXXX")
cleanup() {
    local p
    [[ -f $WORK/pids ]] && while read -r p; do kill "$p" 2> /dev/null || true; done < "$WORK/pids"
    stop_all
    rm -rf "$WORK"
}
trap cleanup EXIT

IMAGE=$BENCH_CACHE/image-${BENCH_IMAGE_MIB}mib
if [[ ! -f $IMAGE.done ]]; then
    mkdir -p "$BENCH_CACHE"
    make_image "$IMAGE" "$BENCH_IMAGE_MIB"
    touch "$IMAGE.done"
fi
UP=127.0.0.1:$(free_port)
printf 'version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: %s\n' \
    "$WORK/upstream" "$UP" > "$WORK/upstream.yml"
env -u REGISTRY_AUTH_FILE docker-registry serve "$WORK/upstream.yml" > "$WORK/upstream.log" 2>&1 &
BENCH_PIDS+=("$!")
wait_up "http://$UP/v2/" "$!" || die "docker-registry did not start"
skopeo copy --quiet --dest-tls-verify=false "oci:$IMAGE:bench" "docker://$UP/bench:latest" > /dev/null
BIG=$(curl -s -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$UP/v2/bench/manifests/latest" \
    | jq -r '.layers | max_by(.size) | .digest')
SIZE=$(curl -s -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$UP/v2/bench/manifests/latest" \
    | jq -r '.layers | max_by(.size) | .size')

ms() { # URL OUT
    local s
    s=$(date +%s%N)
    curl -sf -o "$2" "$1" || die "GET $1 failed"
    echo $((($(date +%s%N) - s) / 1000000))
}
round() { # CHECKOUT: one line of samples
    local w pid p line="" i
    w=127.0.0.1:$(free_port)
    rm -rf "$WORK/wharf"
    WHARF_AUTH_ENABLED=false "$1/bin/wharf" serve --listen "$w" --data "$WORK/wharf" > "$WORK/wharf.log" 2>&1 &
    pid=$!
    echo "$pid" >> "$WORK/pids" # round runs in a subshell: the cleanup reads them from here (a failed round)
    wait_up "http://$w/v2/" "$pid" || die "wharf of $1 did not start"
    for p in n1 n2 n3 f1 f2 f3; do
        AWS_ACCESS_KEY_ID=AKIABENCHBENCHBENCH0 AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1 \
            AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null /usr/bin/aws --endpoint-url "http://$w" \
            ecr create-pull-through-cache-rule --ecr-repository-prefix "r$p" --upstream-registry-url "http://$UP" > /dev/null
    done
    for p in n1 n2 n3; do sleep 2; line+=" $(ms "http://$w/v2/r$p/bench/blobs/$BIG" /dev/null)"; done
    for p in f1 f2 f3; do sleep 2; rm -f "$WORK/x"; line+=" $(ms "http://$w/v2/r$p/bench/blobs/$BIG" "$WORK/x")"; done
    for i in 1 2; do sleep 1; rm -f "$WORK/x"; line+=" $(ms "http://$UP/v2/bench/blobs/$BIG" "$WORK/x")"; done
    kill "$pid"; wait "$pid" 2> /dev/null || true
    echo "$line"
}

ROWS=""
for ((r = 1; r <= PTC_BLOB_ROUNDS; r++)); do
    for b in "$@"; do
        line=$(round "$b")
        commit=$(git -C "$b" rev-parse --short HEAD 2> /dev/null || echo "?")
        [[ -n $(git -C "$b" status --porcelain --untracked-files=no -- . ':!docs' ':!bench' 2> /dev/null) ]] \
            && commit+="+changes"
        log "round $r $commit:$line"
        ROWS+="| $r | $commit$(sed 's/ / | /g' <<< "$line") |"$'\n'
    done
done
RESULT=${BENCH_RESULT:-$REPO/bench/results/$(date +%F)-$(git -C "$REPO" rev-parse --short HEAD)-pull-through-blob.md}
{
    echo "# One blob's first pull through the cache ($SIZE bytes), $(date +%F)"
    echo
    echo "curl through a fresh rule each time (nothing cached), ms at the client. null: to /dev/null (the first of a"
    echo "round in the fresh process: cold); file: to a file; direct: from the upstream to a file. $(nproc) cores."
    echo
    echo "| round | build | null (cold) | null | null | file | file | file | direct | direct |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    printf '%s' "$ROWS"
} > "$RESULT"
cat "$RESULT"
