# shellcheck shell=bash
# Helpers for the end-to-end suite: counters, checks, waits, starting/stopping processes, client wrappers.
# Sourced by e2e/run and the files in e2e/cases/. Everything started here is stopped by PID on exit.

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$E2E_DIR/.." && pwd)

: "${WHARF_E2E_REGISTRY:=wharf}"          # wharf | distribution
: "${E2E_CMD_TIMEOUT:=600}"                # seconds, for any single client command
: "${E2E_START_TIMEOUT:=120}"              # seconds, for the registry / dockerd to come up
: "${WHARF_E2E_USER:=AWS}"                 # user name for logins when WHARF_E2E_TOKEN is set
: "${E2E_SKIP:=}"                          # space-separated sections to skip: skopeo podman buildah docker ctr

E2E_PASSED=0
E2E_FAILED=0
E2E_FAILED_NAMES=()
E2E_CHECK_NO=0
E2E_PIDS=()        # "pid name" entries, stopped in reverse order on exit

# --------------------------------------------------------------------------------------------------
# Output and counters

e2e_now() { date +%s; }
section() { printf '\n=== %s ===\n' "$*"; }
note() { printf '    %s\n' "$*"; }

pass() { E2E_PASSED=$((E2E_PASSED + 1)); printf 'PASS  %s\n' "$1"; }
fail() {
    E2E_FAILED=$((E2E_FAILED + 1)); E2E_FAILED_NAMES+=("$1")
    printf 'FAIL  %s\n' "$1"
    [ -n "${2:-}" ] && printf '      %s\n' "$2"
    return 0
}

# check_log NAME: the log file of check number E2E_CHECK_NO.
check_log() {
    printf '%s/%03d-%s.log' "$E2E_LOGS" "$E2E_CHECK_NO" \
        "$(printf '%s' "$1" | tr -c 'A-Za-z0-9' '-' | tr -s '-' | cut -c1-60)"
}

# check_result NAME RC T0 LOG: PASS or FAIL (with the tail of the log).
check_result() {
    local dt=$(( $(e2e_now) - $3 ))
    if [ "$2" -eq 0 ]; then
        pass "$1 (${dt}s)"
    else
        fail "$1 (${dt}s, exit $2)"
        tail -n "${E2E_FAIL_TAIL:-25}" "$4" | sed 's/^/      | /'
        registry_excerpt "${5:-}"
    fi
}

# Where a check's part of each registry log starts: "path:size" words, for the main registry's log and for the
# ones that sections start themselves (wharf_serve).
registry_log_mark() {
    local f
    for f in $(registry_logs); do printf '%s:%s ' "$f" "$(stat -c %s "$f")"; done
}

# The registry logs that exist, each once.
registry_logs() {
    local f
    for f in ${REGISTRY_LOG:-} $(cat "${E2E_WORK:-/nonexistent}/registry-logs" 2>/dev/null); do
        [ -f "$f" ] && printf '%s\n' "$f"
    done | sort -u
}

# registry_excerpt MARK: what the registries logged during a failed check (from the sizes in MARK on; a log
# that MARK does not name was started during the check and is read whole), so a failure in CI can be read
# without the work directory: warnings, errors, requests slower than a second and GC pauses over one, then the
# last lines it wrote (did the request that failed arrive?).
registry_excerpt() {
    local f from part lines
    for f in $(registry_logs); do
        from=$(printf '%s\n' $1 | sed -n "s|^$f:||p" | head -n 1)
        part=$(tail -c +"$((${from:-0} + 1))" "$f")
        [ -n "$part" ] || continue
        lines=$(printf '%s\n' "$part" \
            | grep -E ' (WARN|ERROR) |Exception|Error:| [0-9]{4,}ms |Pause.* [0-9]{4,}\.[0-9]+ms' \
            | grep -vE '^[[:space:]]+at ' | head -n "${E2E_FAIL_REGISTRY_LINES:-30}") || true
        echo "      ${f##*/} during the check: warnings, errors, requests and GC pauses over 1 s; its last lines:"
        { printf '%s\n' "$lines"; echo "..."; printf '%s\n' "$part" | tail -n 8; } | grep -v '^$' | cut -c1-300 \
            | sed 's/^/      > /'
    done
    return 0
}

# check NAME CMD [ARGS...]
# Runs CMD (usually a shell function) in a subshell with errexit + pipefail, its output going to a
# per-check log. PASS when it exits 0; on FAIL, the tail of the log is printed. Never call `check`
# inside an if/||/&& (bash would silently disable errexit inside); the check bodies also use the
# assert_* helpers below, which exit explicitly.
check() {
    local name=$1; shift
    local log t0 rc mark
    E2E_CHECK_NO=$((E2E_CHECK_NO + 1))
    log=$(check_log "$name")
    t0=$(e2e_now)
    mark=$(registry_log_mark)
    ( set -eEo pipefail
      trap 'echo "command failed (exit $?): $BASH_COMMAND" >&2' ERR
      "$@" ) > "$log" 2>&1 < /dev/null
    rc=$?
    check_result "$name" "$rc" "$t0" "$log" "$mark"
}

# check_main NAME CMD [ARGS...]: like check, but CMD runs in the current shell (for setup steps that
# set variables or start processes that must outlive the check). As in check, the first command that
# fails (outside an if/while condition or a ||/&& list) fails the check: see main_errexit_on. Sets
# E2E_MAIN_RC (0 = PASS) and returns it. Like check, never call it inside an if/||/&&: bash does not
# run the ERR trap there, so check_main probes for it and stops the run.
check_main() {
    local name=$1; shift
    local log t0 rc mark
    E2E_CHECK_NO=$((E2E_CHECK_NO + 1))
    log=$(check_log "$name")
    t0=$(e2e_now)
    mark=$(registry_log_mark)
    main_errexit_on "${#FUNCNAME[@]}"
    false # the probe: the ERR trap must record it
    main_errexit_probed "$name"
    "$@" > "$log" 2>&1 < /dev/null
    rc=$?
    trap - ERR; set +E
    if [ -n "$E2E_MAIN_ERR" ]; then
        echo "command failed ($E2E_MAIN_ERR)" >> "$log"
        [ "$rc" -ne 0 ] || rc=1
    fi
    check_result "$name" "$rc" "$t0" "$log" "$mark"
    E2E_MAIN_RC=$rc
    return $rc
}

# main_errexit_on DEPTH: errexit without leaving the shell, for the functions called by a caller at
# call depth DEPTH. The ERR trap records the first failing command in E2E_MAIN_ERR and returns 1 from
# each function deeper than DEPTH, so the failure ends the command and reaches the caller.
main_errexit_on() {
    E2E_MAIN_ERR=""
    set -E
    trap 'E2E_MAIN_ERR=${E2E_MAIN_ERR:-"exit $?: $BASH_COMMAND"}; [ "${#FUNCNAME[@]}" -le '"$1"' ] || return 1' ERR
}
# main_errexit_probed NAME: stops the run unless the trap recorded the caller's probe; clears the record.
main_errexit_probed() {
    if [ -z "$E2E_MAIN_ERR" ]; then
        trap - ERR; set +E
        echo "check_main called inside a condition (if/||/&&): '$1' could not fail; fix the caller" >&2
        exit 2
    fi
    E2E_MAIN_ERR=""
}

# Assertions for check bodies (they exit the check's subshell on failure).
die() { echo "ASSERTION FAILED: $*" >&2; exit 1; }
assert_eq() { # EXPECTED ACTUAL WHAT
    # An empty or null expected value is what a failed $(command) or a missing JSON field gives; two of
    # those would compare equal.
    case $1 in ''|null) die "$3: the expected value is '$1' (its command failed?); got '$2'" ;; esac
    [ "$1" = "$2" ] || die "$3: expected '$1', got '$2'"
    echo "ok: $3 = $2"
}
assert_ne() { [ "$1" != "$2" ] || die "$3: both are '$1'"; }
assert_nonempty() { [ -n "$1" ] || die "$2 is empty"; }
assert_contains() { # HAYSTACK_FILE PATTERN WHAT  (grep -E)
    grep -Eq -- "$2" "$1" || die "$3: /$2/ not found in $1"
    echo "ok: $3"
}
# Expect a command to fail (e.g. inspecting a deleted manifest).
assert_fails() { # WHAT CMD...
    local what=$1; shift
    if "$@"; then die "$what: command unexpectedly succeeded: $*"; fi
    echo "ok: $what (failed as expected)"
}

# For section check counts: prints N when a token is set (login checks run), else 0.
if_token() { if [ -n "${WHARF_E2E_TOKEN:-}" ]; then echo "$1"; else echo 0; fi; }

is_skipped() { # SECTION
    local s
    for s in $E2E_SKIP; do [ "$s" = "$1" ] && return 0; done
    return 1
}

# --------------------------------------------------------------------------------------------------
# Processes

register_pid() { E2E_PIDS+=("$1 $2"); }

# stop_pid PID NAME [TIMEOUT]: SIGTERM, wait (bounded), then SIGKILL.
stop_pid() {
    local pid=$1 name=$2 timeout=${3:-30} i
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < timeout * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        # reap our own children so they do not linger as zombies (kill -0 succeeds on zombies)
        if [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ]; then break; fi
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; then
        echo "    $name (pid $pid) did not stop in ${timeout}s; sending SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

stop_all() {
    local i entry
    for ((i = ${#E2E_PIDS[@]} - 1; i >= 0; i--)); do
        entry=${E2E_PIDS[$i]}
        stop_pid "${entry%% *}" "${entry#* }"
    done
    E2E_PIDS=()
}

# Unmount anything still mounted below DIR (deepest first) so that rm -rf cannot cross into a mount.
unmount_below() {
    local dir=$1
    [ -n "$dir" ] || return 0
    awk -v p="$dir/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
}

# wait_http URL TIMEOUT [CODES] [PID]: until URL answers with one of CODES (default 200).
# Fails early if PID (a process we started) has exited.
wait_http() {
    local url=$1 timeout=$2 codes=${3:-200} pid=${4:-} deadline code
    deadline=$(( $(e2e_now) + timeout ))
    while :; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null || true)
        case " $codes " in *" $code "*) return 0 ;; esac
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            echo "process $pid exited while waiting for $url" >&2; return 1
        fi
        if [ "$(e2e_now)" -ge "$deadline" ]; then
            echo "timed out after ${timeout}s waiting for $url (last status: ${code:-none})" >&2; return 1
        fi
        sleep 0.3
    done
}

# A free TCP port on 127.0.0.1: random, not answering, and below the kernel's ephemeral range — a port inside it
# may be the local end of some outgoing connection at the moment a server binds it (EADDRINUSE, a failed start).
free_port() {
    local p i low
    low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    [ "$low" -gt 12000 ] 2>/dev/null || low=32768
    for ((i = 0; i < 200; i++)); do
        p=$(( 10000 + (RANDOM * 32768 + RANDOM) % (low - 10000) ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
    done
    return 1
}

# --------------------------------------------------------------------------------------------------
# The registry under test

# start_registry DATA_DIR PORT
# wharf_serve LOG ARGS...: `bin/wharf serve ARGS` with its output appended to LOG and its GC pauses logged; a
# failed check then prints what LOG got during it (registry_excerpt). Start it in the background (`&`): it
# execs, so $! is the server's PID.
wharf_serve() {
    local log=$1; shift
    printf '%s\n' "$log" >> "$E2E_WORK/registry-logs"
    WHARF_JAVA_OPTS="${WHARF_JAVA_OPTS:-} -Xlog:gc:stderr:uptime" exec "$REPO/bin/wharf" serve "$@" >> "$log" 2>&1
}

# Starts the registry selected by $WHARF_E2E_REGISTRY on 127.0.0.1:PORT with an empty DATA_DIR and
# waits (bounded) until GET /v2/ answers. Sets REGISTRY_PID, REGISTRY_LOG, R (host:port).
start_registry() {
    local data=$1 port=$2
    mkdir -p "$data"
    REGISTRY_LOG=${REGISTRY_LOG:-$E2E_WORK/registry.log}
    R=127.0.0.1:$port
    case $WHARF_E2E_REGISTRY in
        wharf)
            if [ ! -x "$REPO/bin/wharf" ]; then
                echo "start_registry: $REPO/bin/wharf is missing or not executable" >&2; return 1
            fi
            wharf_serve "$REGISTRY_LOG" --listen "127.0.0.1:$port" --data "$data" &
            ;;
        distribution)
            local bin
            bin=$(command -v docker-registry || command -v registry || true)
            if [ -z "$bin" ]; then
                echo "start_registry: docker-registry (Debian's CNCF Distribution) is not installed" >&2; return 1
            fi
            cat > "$E2E_WORK/distribution.yml" <<EOF
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
EOF
            if [ -n "${WHARF_E2E_TOKEN:-}" ]; then
                # Exercise the suite's login paths: basic auth with WHARF_E2E_USER / WHARF_E2E_TOKEN.
                if ! command -v htpasswd > /dev/null; then
                    echo "start_registry: htpasswd (apache2-utils) is needed for WHARF_E2E_TOKEN with distribution" >&2
                    return 1
                fi
                htpasswd -Bbn "$WHARF_E2E_USER" "$WHARF_E2E_TOKEN" > "$E2E_WORK/htpasswd"
                printf 'auth:\n  htpasswd:\n    realm: wharf-e2e\n    path: %s\n' "$E2E_WORK/htpasswd" \
                    >> "$E2E_WORK/distribution.yml"
            fi
            # Distribution maps REGISTRY_* variables onto its config: REGISTRY_AUTH_FILE (meant for
            # podman/buildah) would become auth.file and break config parsing, so drop it here.
            env -u REGISTRY_AUTH_FILE "$bin" serve "$E2E_WORK/distribution.yml" >> "$REGISTRY_LOG" 2>&1 &
            ;;
        external)
            # A registry someone else started (a debugger, a proxy): E2E_REGISTRY_ADDR=127.0.0.1:PORT.
            # Not a fresh data dir: for developing the server or the suite, not for CI.
            R=${E2E_REGISTRY_ADDR:?E2E_REGISTRY_ADDR=127.0.0.1:PORT is required with WHARF_E2E_REGISTRY=external}
            case $R in 127.*|localhost:*) ;; *) echo "start_registry: only loopback addresses" >&2; return 1 ;; esac
            REGISTRY_PID=""
            wait_http "http://$R/v2/" "$E2E_START_TIMEOUT" "200 401"
            return
            ;;
        *)
            echo "start_registry: unknown WHARF_E2E_REGISTRY='$WHARF_E2E_REGISTRY' (wharf|distribution|external)" >&2
            return 1 ;;
    esac
    REGISTRY_PID=$!
    register_pid "$REGISTRY_PID" "registry ($WHARF_E2E_REGISTRY)"
    # 401 is an answer too (once auth is on, /v2/ challenges anonymous callers).
    wait_http "http://$R/v2/" "$E2E_START_TIMEOUT" "200 401" "$REGISTRY_PID" || return
    if [ "$WHARF_E2E_REGISTRY" = wharf ] && [ -z "${WHARF_E2E_TOKEN:-}" ]; then
        # Authentication is on by default: every client logs in as ECR's user AWS with a root token.
        WHARF_E2E_TOKEN=$("$REPO/bin/wharf" iam login-password --root --data "$data") || return
        WHARF_E2E_USER=AWS
        export WHARF_E2E_TOKEN WHARF_E2E_USER
        echo "clients log in as AWS with a token from: bin/wharf iam login-password --root"
    fi
}

# --------------------------------------------------------------------------------------------------
# dockerd (+ the containerd it starts), shared by the docker and ctr sections

DOCKERD_PID=""
DOCKER_BIN=${E2E_DOCKER:-}
if [ -z "$DOCKER_BIN" ]; then
    # Debian's client matches Debian's dockerd; another `docker` may come first on PATH.
    if [ -x /usr/bin/docker ]; then DOCKER_BIN=/usr/bin/docker; else DOCKER_BIN=docker; fi
fi

ensure_dockerd() {
    if [ -n "$DOCKERD_PID" ] && kill -0 "$DOCKERD_PID" 2>/dev/null; then return 0; fi
    command -v dockerd >/dev/null || { echo "dockerd is not installed" >&2; return 1; }
    DOCKER_ROOT=$E2E_WORK/docker
    DOCKER_EXEC=$E2E_WORK/docker-exec
    DOCKER_SOCK=$E2E_WORK/docker.sock
    CONTAINERD_SOCK=$DOCKER_EXEC/containerd/containerd.sock
    mkdir -p "$DOCKER_ROOT" "$DOCKER_EXEC"
    dockerd --storage-driver=vfs --iptables=false --ip-masq=false --bridge=none \
        --data-root "$DOCKER_ROOT" --exec-root "$DOCKER_EXEC" --pidfile "$DOCKER_EXEC/dockerd.pid" \
        -H "unix://$DOCKER_SOCK" > "$E2E_WORK/dockerd.log" 2>&1 &
    DOCKERD_PID=$!
    register_pid "$DOCKERD_PID" dockerd
    local deadline=$(( $(e2e_now) + E2E_START_TIMEOUT ))
    until "$DOCKER_BIN" -H "unix://$DOCKER_SOCK" version >/dev/null 2>&1 && [ -S "$CONTAINERD_SOCK" ]; do
        if ! kill -0 "$DOCKERD_PID" 2>/dev/null; then
            echo "dockerd exited; log tail:" >&2; tail -n 20 "$E2E_WORK/dockerd.log" >&2; return 1
        fi
        if [ "$(e2e_now)" -ge "$deadline" ]; then
            echo "dockerd not ready after ${E2E_START_TIMEOUT}s" >&2; tail -n 20 "$E2E_WORK/dockerd.log" >&2; return 1
        fi
        sleep 0.5
    done
    # dockerd's containerd child: remembered so that stop_dockerd can stop it by PID should it outlive
    # dockerd (normally dockerd stops it itself).
    CONTAINERD_PID=$(cat "$DOCKER_EXEC/containerd/containerd.pid" 2>/dev/null || true)
    echo "dockerd pid $DOCKERD_PID, containerd pid ${CONTAINERD_PID:-?}, socket $DOCKER_SOCK"
}

stop_dockerd() {
    [ -n "$DOCKERD_PID" ] || return 0
    stop_pid "$DOCKERD_PID" dockerd 60
    if [ -n "${CONTAINERD_PID:-}" ] && kill -0 "$CONTAINERD_PID" 2>/dev/null; then
        stop_pid "$CONTAINERD_PID" "containerd (started by dockerd)" 30
    fi
    DOCKERD_PID=""
}

# --------------------------------------------------------------------------------------------------
# Client wrappers (bounded by timeout; plain HTTP to 127.0.0.1; private state under $E2E_WORK)

to() { timeout --kill-after=10 "$E2E_CMD_TIMEOUT" "$@"; }

# skopeo: --src-*/--dest-* for copy and sync, plain --tls-verify/--creds for single-image commands.
# SK_GLOBAL (set with `local SK_GLOBAL=(--debug)` in a caller) holds options that go before the subcommand.
SK_GLOBAL=()
sk_copy() { # ARGS... (copy, or "sync" as the first argument)
    local sub=copy creds=()
    if [ "${1:-}" = sync ]; then sub=sync; shift; fi
    if [ -n "${WHARF_E2E_TOKEN:-}" ]; then
        creds=(--src-creds "$WHARF_E2E_USER:$WHARF_E2E_TOKEN" --dest-creds "$WHARF_E2E_USER:$WHARF_E2E_TOKEN")
    fi
    to skopeo "${SK_GLOBAL[@]}" "$sub" --src-tls-verify=false --dest-tls-verify=false "${creds[@]}" "$@"
}
sk() { # SUBCOMMAND ARGS...  (inspect, list-tags, delete)
    local sub=$1; shift
    local creds=()
    if [ -n "${WHARF_E2E_TOKEN:-}" ]; then creds=(--creds "$WHARF_E2E_USER:$WHARF_E2E_TOKEN"); fi
    to skopeo "${SK_GLOBAL[@]}" "$sub" --tls-verify=false "${creds[@]}" "$@"
}

# sha256 digest of the manifest bytes the registry serves for REF (host/repo:tag or host/repo@digest).
raw_digest() {
    local out
    out=$(sk inspect --raw "docker://$1" | sha256sum) || return 1
    echo "sha256:${out%% *}"
}

# curl against the registry (with the token when one is set); bounded.
reg_curl() {
    local auth=()
    if [ -n "${WHARF_E2E_TOKEN:-}" ]; then auth=(-u "$WHARF_E2E_USER:$WHARF_E2E_TOKEN"); fi
    curl -sS --max-time 60 "${auth[@]}" "$@"
}

# skopeo and podman keep a blob-info cache shared by every root process; with it a "fresh" push becomes
# a cross-repo mount. Cleared before checks that must exercise a real upload.
clear_blob_info_cache() { rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb; }

# podman / buildah with a private storage root (never the machine's global storage).
podman_() {
    to podman --root "$E2E_WORK/containers/root" --runroot "$E2E_WORK/containers/runroot" \
        --storage-driver "$E2E_STORAGE_DRIVER" --tmpdir "$E2E_WORK/containers/tmp" \
        --cgroup-manager cgroupfs --events-backend file "$@"
}
buildah_() {
    to buildah --root "$E2E_WORK/containers/root" --runroot "$E2E_WORK/containers/runroot" \
        --storage-driver "$E2E_STORAGE_DRIVER" "$@"
}
# "[driver@graphroot+runroot]" for skopeo's containers-storage: transport into the same private store.
containers_storage_spec() {
    echo "[$E2E_STORAGE_DRIVER@$E2E_WORK/containers/root+$E2E_WORK/containers/runroot]"
}
# Choose overlay when it works here, else vfs (or whatever E2E_STORAGE_DRIVER says).
choose_storage_driver() {
    if [ -n "${E2E_STORAGE_DRIVER:-}" ]; then return 0; fi
    mkdir -p "$E2E_WORK/probe"
    if timeout 60 podman --root "$E2E_WORK/probe/root" --runroot "$E2E_WORK/probe/runroot" \
        --storage-driver overlay --tmpdir "$E2E_WORK/probe/tmp" --events-backend file info >/dev/null 2>&1; then
        E2E_STORAGE_DRIVER=overlay
    else
        E2E_STORAGE_DRIVER=vfs
    fi
    unmount_below "$E2E_WORK/probe"
    rm -rf "$E2E_WORK/probe"
}

dk() { to "$DOCKER_BIN" -H "unix://$DOCKER_SOCK" "$@"; }
ctr_() { to ctr -a "$CONTAINERD_SOCK" -n wharf-e2e "$@"; }
# ctr images pull/push with --plain-http (and --user when a token is set)
ctr_images() { # pull|push ARGS...
    local op=$1; shift
    local auth=()
    if [ -n "${WHARF_E2E_TOKEN:-}" ]; then auth=(--user "$WHARF_E2E_USER:$WHARF_E2E_TOKEN"); fi
    ctr_ images "$op" --plain-http "${auth[@]}" "$@"
}

# --------------------------------------------------------------------------------------------------
# OCI layout helpers

# Manifest digest of TAG in the OCI layout at LAYOUT (from index.json).
layout_digest() { # LAYOUT TAG
    jq -er --arg t "$2" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' \
        "$1/index.json"
}
blob_path() { echo "$1/blobs/${2%%:*}/${2#*:}"; }

# Every blob digest reachable from DIGEST in LAYOUT (the manifest itself, config, layers; index children).
layout_closure() { # LAYOUT DIGEST
    local L=$1 d=$2 f
    f=$(blob_path "$L" "$d")
    [ -f "$f" ] || die "blob $d missing from $L"
    echo "$d"
    if jq -e '.manifests' "$f" >/dev/null 2>&1; then
        local c
        for c in $(jq -r '.manifests[].digest' "$f"); do layout_closure "$L" "$c"; done
    else
        jq -r '(.config.digest // empty), (.layers[]?.digest)' "$f"
    fi
}

# Check that TAG2 in layout L2 is the same image as TAG1 in L1, byte for byte: same manifest digest,
# and every reachable blob present in L2 with identical bytes and the digest its name claims.
assert_layouts_identical() { # L1 TAG1 L2 TAG2
    local d1 d2 b n=0 list
    d1=$(layout_digest "$1" "$2") || die "tag $2 not in $1"
    d2=$(layout_digest "$3" "$4") || die "tag $4 not in $3"
    assert_eq "$d1" "$d2" "manifest digest after round trip"
    list=$(mktemp -p "$E2E_WORK" closure.XXXXXX)
    layout_closure "$1" "$d1" > "$list"     # a plain command, so that its die ends the check
    for b in $(sort -u "$list"); do
        [ -f "$(blob_path "$3" "$b")" ] || die "blob $b missing from the copy"
        cmp -s "$(blob_path "$1" "$b")" "$(blob_path "$3" "$b")" || die "blob $b differs"
        [ "sha256:$(sha256sum < "$(blob_path "$3" "$b")" | cut -d' ' -f1)" = "$b" ] || die "blob $b has wrong digest"
        n=$((n + 1))
    done
    echo "ok: $n blobs byte-identical"
}

# --------------------------------------------------------------------------------------------------
# Blob bytes (what a client pushed or pulled, not only the digests it reports)

# sha256 of the bytes of FILE, or of its decompressed bytes when it is gzip (a layer as a diff ID).
diff_id_of() { # FILE
    local sum
    if [ "$(head -c 2 "$1" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
        sum=$(gzip -dc < "$1" | sha256sum) || return 1
    else
        sum=$(sha256sum < "$1") || return 1
    fi
    echo "sha256:${sum%% *}"
}

# GET every blob MANIFEST (a file) references (config and layers) from the registry's REPO into DIR: each
# must have the descriptor's size and hash to its digest; every layer must decompress to the diff ID the
# config blob lists for it. Checks the bytes the registry stored, whatever the client reported.
assert_registry_blobs() { # REPO MANIFEST_FILE DIR
    local repo=$1 m=$2 dir=$3 d size f n=0 i=0 descs cfg
    mkdir -p "$dir"
    descs=$(jq -er '(.config, .layers[]) | "\(.digest) \(.size)"' "$m") || die "no descriptors in $m"
    while read -r d size; do
        f=$dir/${d#sha256:}
        reg_curl -f -o "$f" "http://$R/v2/$repo/blobs/$d" || die "GET blob $d from $repo failed"
        assert_eq "$size" "$(stat -c %s "$f")" "size of blob $d served"
        assert_eq "$d" "sha256:$(sha256sum < "$f" | cut -d' ' -f1)" "sha256 of the bytes served for $d"
        n=$((n + 1))
    done <<< "$descs"
    cfg=$dir/$(jq -r '.config.digest | sub("^sha256:"; "")' "$m")
    for d in $(jq -r '.layers[].digest' "$m"); do
        assert_eq "$(jq -r --argjson i "$i" '.rootfs.diff_ids[$i]' "$cfg")" "$(diff_id_of "$dir/${d#sha256:}")" \
            "layer $i ($d) decompresses to the config's diff ID"
        i=$((i + 1))
    done
    [ "$i" -ge 1 ] && [ "$n" -eq $((i + 1)) ] || die "$n blobs, $i layers in $m"
    echo "ok: $n blobs served by $repo hash to their digests; $i layers match the config's diff IDs"
}

# The layers of the OCI layout image L:TAG and of CONFIG (a config blob file) are the same uncompressed
# bytes: equal diff ID lists (what a client that recompresses, like docker or podman, must preserve).
assert_same_diff_ids() { # LAYOUT TAG CONFIG_FILE
    local m src
    m=$(blob_path "$1" "$(layout_digest "$1" "$2")")
    src=$(blob_path "$1" "$(jq -r .config.digest "$m")")
    assert_eq "$(jq -c .rootfs.diff_ids "$src")" "$(jq -c .rootfs.diff_ids "$3")" "diff IDs of the source layout $2"
}

# An image a client exported (docker save / podman save) holds exactly CONFIG's bytes as its config and
# layers whose uncompressed bytes have CONFIG's diff IDs, in order. CONFIG_OUT is the exported config file;
# LAYER_FILES the exported layers, in order.
assert_exported_image() { # CONFIG_FILE CONFIG_OUT LAYER_FILE...
    local cfg=$1 out=$2 i=0 f
    shift 2
    cmp "$cfg" "$out" || die "the exported config differs from the config blob in the registry"
    assert_eq "$(jq '.rootfs.diff_ids | length' "$cfg")" "$#" "layers exported"
    for f in "$@"; do
        assert_eq "$(jq -r --argjson i "$i" '.rootfs.diff_ids[$i]' "$cfg")" "$(diff_id_of "$f")" "exported layer $i"
        i=$((i + 1))
    done
    echo "ok: exported config byte-identical, $i layers with the registry's diff IDs"
}
