# shellcheck shell=bash
# The cluster under test: PostgreSQL, S3Proxy, three Wharf nodes and nginx in front, all on 127.0.0.1 under
# $E2E_WORK, every process stopped by PID at exit. Sourced by e2e/cluster/run after e2e/lib.sh.

: "${CLUSTER_NODES:=3}"
: "${CLUSTER_PG_BIN:=/usr/lib/postgresql/15/bin}"
: "${CLUSTER_S3PROXY_VERSION:=2.6.0}"
: "${CLUSTER_S3PROXY_JAR:=${HOME:-/root}/.cache/wharf-e2e/s3proxy/s3proxy-$CLUSTER_S3PROXY_VERSION-jar-with-dependencies.jar}"
: "${CLUSTER_LEASE:=PT5S}"         # jobs.lease-duration of every node: a killed node's job is taken over this soon

S3_BUCKET=wharf-cluster
S3_KEY_ID=wharf-cluster-e2e
S3_SECRET=wharf-cluster-e2e-secret
# The root's access key, given to every node: the first to start records it in PostgreSQL, the others find it.
ROOT_KEY_ID=AKIAWHARFCLUSTERE2E1
ROOT_SECRET=wharf-cluster-e2e-root-secret-0123456789
NODE_PORT=()     # index 1..N
NODE_PID=()
NODE_DATA=()
NODE_STARTS=0    # data directories are never reused: a node keeps nothing that matters

# --------------------------------------------------------------------------------------------------
# PostgreSQL 15: initdb/pg_ctl in $E2E_WORK/pg, as `nobody` when we are root (postgres refuses root)

pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }

start_postgres() {
    [ -x "$CLUSTER_PG_BIN/initdb" ] || { echo "no $CLUSTER_PG_BIN/initdb (Debian's postgresql-15)" >&2; return 1; }
    PG_DIR=$E2E_WORK/pg
    mkdir -p "$PG_DIR"
    [ "$(id -u)" != 0 ] || chown nobody "$PG_DIR"
    PG_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    printf '%s\n' "$PG_PASSWORD" > "$PG_DIR/pw"
    [ "$(id -u)" != 0 ] || chown nobody "$PG_DIR/pw"
    pg_as "$CLUSTER_PG_BIN/initdb" -D "$PG_DIR/data" -U wharf --pwfile="$PG_DIR/pw" --auth=scram-sha-256 \
        --no-locale -E UTF8 --no-sync
    PG_PORT=$(free_port)
    pg_start
    PGPASSWORD=$PG_PASSWORD "$CLUSTER_PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U wharf wharf
    PG_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/wharf
    echo "PostgreSQL $("$CLUSTER_PG_BIN/postgres" --version) pid $PG_PID at $PG_URL"
}

# Forget a process already stopped, so that the cleanup never signals whatever reuses its PID.
unregister_pid() {
    local i
    for i in "${!E2E_PIDS[@]}"; do
        [ "${E2E_PIDS[$i]%% *}" != "$1" ] || unset 'E2E_PIDS[i]'
    done
    E2E_PIDS=("${E2E_PIDS[@]}")
}

# pg_ctl start on $PG_DIR, port $PG_PORT (again after an outage: same port, same data); sets PG_PID
pg_start() {
    # fsync off: this suite stops PostgreSQL cleanly, it never crashes it
    pg_as "$CLUSTER_PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 start \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off"
    PG_PID=$(head -n 1 "$PG_DIR/data/postmaster.pid")
}

stop_postgres() {
    [ -n "${PG_PID:-}" ] || return 0
    pg_as "$CLUSTER_PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop > /dev/null 2>&1 || true
    if kill -0 "$PG_PID" 2>/dev/null; then kill -KILL "$PG_PID" 2>/dev/null || true; fi
    PG_PID=""
}


# --------------------------------------------------------------------------------------------------
# S3Proxy (org.gaul:s3proxy, from Maven Central through the Maven wrapper) over a filesystem directory

s3proxy_jar() {
    [ -s "$CLUSTER_S3PROXY_JAR" ] && return 0
    mkdir -p "$(dirname "$CLUSTER_S3PROXY_JAR")"
    (cd "$REPO" && ./mvnw -B -q dependency:copy \
        -Dartifact="org.gaul:s3proxy:$CLUSTER_S3PROXY_VERSION:jar:jar-with-dependencies" \
        -DoutputDirectory="$(dirname "$CLUSTER_S3PROXY_JAR")")
    [ -s "$CLUSTER_S3PROXY_JAR" ] || { echo "no $CLUSTER_S3PROXY_JAR after mvnw dependency:copy" >&2; return 1; }
}

start_s3proxy() {
    s3proxy_jar
    S3_PORT=$(free_port)
    S3_ENDPOINT=http://127.0.0.1:$S3_PORT
    S3_DIR=$E2E_WORK/s3
    mkdir -p "$S3_DIR/blobs"
    cat > "$S3_DIR/s3proxy.conf" <<EOF
s3proxy.endpoint=$S3_ENDPOINT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_KEY_ID
s3proxy.credential=$S3_SECRET
# the AWS SDK sends the newer checksum headers, which S3Proxy does not implement (real S3 does)
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem
jclouds.filesystem.basedir=$S3_DIR/blobs
EOF
    s3proxy_launch
    echo "S3Proxy $CLUSTER_S3PROXY_VERSION pid $S3_PID at $S3_ENDPOINT (filesystem $S3_DIR/blobs)"
}

# starts S3Proxy on $S3_DIR/s3proxy.conf (again after an outage: same port, same files); sets S3_PID
s3proxy_launch() {
    local jdk
    jdk=$("$REPO/bin/find-jdk" 17) || { echo "no JDK >= 17 for S3Proxy" >&2; return 1; }
    "$jdk/bin/java" -Xmx512m -jar "$CLUSTER_S3PROXY_JAR" --properties "$S3_DIR/s3proxy.conf" >> "$S3_DIR/log" 2>&1 &
    S3_PID=$!
    register_pid "$S3_PID" s3proxy
    wait_http "$S3_ENDPOINT/" "$E2E_START_TIMEOUT" "200 403" "$S3_PID"
}

# aws CLI against S3Proxy
s3_() {
    AWS_ACCESS_KEY_ID=$S3_KEY_ID AWS_SECRET_ACCESS_KEY=$S3_SECRET AWS_DEFAULT_REGION=us-east-1 \
        AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null AWS_PAGER="" \
        to /usr/bin/aws --endpoint-url "$S3_ENDPOINT" "$@"
}

create_bucket() {
    s3_ s3api create-bucket --bucket "$S3_BUCKET"
    s3_ s3api head-bucket --bucket "$S3_BUCKET"
}

# Keys of every object in the bucket, one a line.
s3_keys() {
    s3_ s3api list-objects-v2 --bucket "$S3_BUCKET" --output json | jq -r '.Contents[]?.Key'
}

# --------------------------------------------------------------------------------------------------
# Wharf nodes: one YAML file for all (docs/cluster.md), own port and data directory each

write_cluster_config() {
    CLUSTER_CONFIG=$E2E_WORK/cluster.yml
    cat > "$CLUSTER_CONFIG" <<EOF
# The same file on every node (docs/cluster.md); each node gets its own --listen and --data.
storage:
  metadata: postgres
  postgres:
    url: $PG_URL
    user: wharf
    password: $PG_PASSWORD
    pool-size: 8
  blobs: s3
  s3:
    bucket: $S3_BUCKET
    prefix: registry/
    region: us-east-1
    endpoint: $S3_ENDPOINT
    path-style: true
    access-key-id: $S3_KEY_ID
    secret-access-key: $S3_SECRET
auth:
  sealing-key: $(head -c 32 /dev/urandom | base64)
jobs:
  lease-duration: $CLUSTER_LEASE
  poll-interval: 1s
gc:
  interval: 0
  grace-period: 0
  orphan-min-age: 1s    # objects a killed collector left without rows go in the run that takes over
  max-deletions-per-second: ${CLUSTER_GC_RATE:-10}
EOF
    cat "$CLUSTER_CONFIG"
}

# bin/wharf with the cluster's configuration (serve and the other commands alike)
wharf_() {
    WHARF_CONFIG=$CLUSTER_CONFIG WHARF_ROOT_ACCESS_KEY_ID=$ROOT_KEY_ID WHARF_ROOT_SECRET_ACCESS_KEY=$ROOT_SECRET \
        "$REPO/bin/wharf" "$@"
}

# start_node I: starts node I on its port (chosen once) with a new, empty data directory; waits for /v2/.
start_node() {
    local i=$1
    [ -n "${NODE_PORT[$i]:-}" ] || NODE_PORT[i]=$(free_port)
    NODE_STARTS=$((NODE_STARTS + 1))
    NODE_DATA[i]=$E2E_WORK/nodes/$i.$NODE_STARTS
    mkdir -p "${NODE_DATA[$i]}"
    echo "--- start $(date -u +%T) on ${NODE_DATA[$i]}" >> "$E2E_WORK/node$i.log"
    # a simple command (not the function wharf_), so that $! is bin/wharf, which execs the JVM: the node's PID
    WHARF_CONFIG=$CLUSTER_CONFIG WHARF_ROOT_ACCESS_KEY_ID=$ROOT_KEY_ID WHARF_ROOT_SECRET_ACCESS_KEY=$ROOT_SECRET \
        wharf_serve "$E2E_WORK/node$i.log" --listen "127.0.0.1:${NODE_PORT[$i]}" --data "${NODE_DATA[$i]}" &
    NODE_PID[i]=$!
    wait_http "http://127.0.0.1:${NODE_PORT[$i]}/v2/" "$E2E_START_TIMEOUT" 401 "${NODE_PID[$i]}" || {
        tail -n 30 "$E2E_WORK/node$i.log" >&2; return 1; }
    echo "node $i: pid ${NODE_PID[$i]} at 127.0.0.1:${NODE_PORT[$i]}, data ${NODE_DATA[$i]}"
}

# The first node alone (it may record bin/wharf's AOT cache, and bootstraps the database), then the others.
start_nodes() {
    local i
    start_node 1
    for ((i = 2; i <= CLUSTER_NODES; i++)); do start_node "$i"; done
}

kill_node() { # I: SIGKILL, as a crash
    local i=$1
    [ -n "${NODE_PID[$i]:-}" ] || return 0
    kill -KILL "${NODE_PID[$i]}" 2>/dev/null || true
    wait "${NODE_PID[$i]}" 2>/dev/null || true
    echo "--- killed (-9) $(date -u +%T)" >> "$E2E_WORK/node$i.log"
    NODE_PID[i]=""
}

stop_node() { # I: SIGTERM, bounded, then SIGKILL
    local i=$1
    stop_pid "${NODE_PID[$i]:-}" "node $i" 60
    NODE_PID[i]=""
}

stop_nodes() {
    local i
    for ((i = 1; i <= CLUSTER_NODES; i++)); do stop_node "$i"; done
}

# The node whose JVM has PID, or nothing.
node_of_pid() {
    local i
    for ((i = 1; i <= CLUSTER_NODES; i++)); do
        if [ "${NODE_PID[$i]:-}" = "$1" ]; then echo "$i"; return 0; fi
    done
}

node() { echo "127.0.0.1:${NODE_PORT[$1]}"; }

nodes_alive() {
    local i code
    for ((i = 1; i <= CLUSTER_NODES; i++)); do
        kill -0 "${NODE_PID[$i]:-0}" 2>/dev/null || { echo "node $i is not running"; return 1; }
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://$(node "$i")/readyz")
        echo "node $i: GET /readyz -> $code"
        [ "$code" = 200 ] || return 1
    done
}

# --------------------------------------------------------------------------------------------------
# nginx in front: round-robin, no stickiness, bodies streamed both ways

start_lb() {
    local i dir=$E2E_WORK/lb
    command -v nginx > /dev/null || { echo "nginx is not installed" >&2; return 1; }
    mkdir -p "$dir/tmp"
    [ "$(id -u)" != 0 ] || chown nobody "$dir/tmp"
    LB_PORT=$(free_port)
    {
        echo "worker_processes 1;"
        echo "pid $dir/nginx.pid;"
        echo "error_log $dir/error.log warn;"
        echo "events { worker_connections 512; }"
        echo "http {"
        echo "  log_format lb '\$request_method \$uri \$status \$upstream_addr \$request_time';"
        echo "  access_log $dir/access.log lb;"
        echo "  client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy;"
        echo "  upstream wharf {"
        for ((i = 1; i <= CLUSTER_NODES; i++)); do echo "    server $(node "$i") max_fails=1 fail_timeout=5s;"; done
        echo "  }"
        echo "  server {"
        echo "    listen 127.0.0.1:$LB_PORT;"
        echo "    client_max_body_size 0;"
        echo "    proxy_request_buffering off; proxy_buffering off; proxy_http_version 1.1;"
        echo "    proxy_read_timeout 600s; proxy_send_timeout 600s;"
        echo "    location / {"
        echo "      proxy_pass http://wharf;"
        echo "      proxy_set_header Host \$http_host;"
        echo "      proxy_set_header X-Forwarded-For \$remote_addr;"
        echo "    }"
        echo "  }"
        echo "}"
    } > "$dir/nginx.conf"
    cat "$dir/nginx.conf"
    nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' > "$dir/nginx.out" 2>&1 &
    LB_PID=$!
    register_pid "$LB_PID" nginx
    LB=127.0.0.1:$LB_PORT
    wait_http "http://$LB/v2/" "$E2E_START_TIMEOUT" 401 "$LB_PID"
    echo "nginx $(nginx -v 2>&1 | sed 's/.*: //') pid $LB_PID at $LB in front of $CLUSTER_NODES nodes"
}

# Which nodes served the requests of the LB's access log from line FROM on (e.g. "3 nodes").
lb_nodes_since() {
    tail -n +"$(($1 + 1))" "$E2E_WORK/lb/access.log" | awk '{print $4}' | tr ', ' '\n\n' | grep -E '^127\.' | sort -u | wc -l
}
lb_log_lines() { wc -l < "$E2E_WORK/lb/access.log"; }

# --------------------------------------------------------------------------------------------------
# Registry access: tokens from the aws CLI (SigV4, any node), curl with them

aws_at() { # HOST:PORT ARGS... (as the root, SigV4)
    local at=$1; shift
    AWS_ACCESS_KEY_ID=$ROOT_KEY_ID AWS_SECRET_ACCESS_KEY=$ROOT_SECRET AWS_DEFAULT_REGION=us-east-1 \
        AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null AWS_PAGER="" \
        to /usr/bin/aws --endpoint-url "http://$at" "$@"
}

# Sets WHARF_E2E_TOKEN (for the e2e/lib.sh client wrappers) from ecr get-login-password through the LB.
login_token() {
    WHARF_E2E_TOKEN=$(aws_at "$LB" ecr get-login-password)
    WHARF_E2E_USER=AWS
    [ -n "$WHARF_E2E_TOKEN" ] || { echo "ecr get-login-password printed nothing" >&2; return 1; }
    export WHARF_E2E_TOKEN WHARF_E2E_USER
}

# curl with the token against HOST:PORT, printing the body; -f semantics left to the caller.
at_curl() { # HOST:PORT PATH CURL-ARGS...
    local at=$1 path=$2; shift 2
    curl -sS --max-time 120 -u "AWS:$WHARF_E2E_TOKEN" "$@" "http://$at$path"
}

sha256_of() { echo "sha256:$(sha256sum < "$1" | cut -d' ' -f1)"; }

# GET blob DIGEST of REPO from HOST:PORT; its bytes must hash to DIGEST.
assert_blob_at() { # HOST:PORT REPO DIGEST
    local f=$E2E_WORK/blob-at.$$
    at_curl "$1" "/v2/$2/blobs/$3" -f -L -o "$f" || die "GET blob $3 from $1 failed"
    assert_eq "$3" "$(sha256_of "$f")" "sha256 of blob from $1"
    rm -f "$f"
}

# Monolithic upload of FILE to REPO through HOST:PORT (POST ?digest=); prints the digest.
push_blob() { # HOST:PORT REPO FILE
    local d code
    d=$(sha256_of "$3")
    code=$(at_curl "$1" "/v2/$2/blobs/uploads/?digest=$d" -o /dev/null -w '%{http_code}' -X POST \
        -H 'Content-Type: application/octet-stream' --data-binary "@$3")
    [ "$code" = 201 ] || die "monolithic upload of $d to $1: $code"
    echo "$d"
}
