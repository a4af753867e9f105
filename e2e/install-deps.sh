#!/usr/bin/env bash
# Install what the end-to-end suite needs from Debian's packages (idempotent; root; Debian 12).
# Does nothing when every command is already there. Services the packages try to start are not used:
# the suite starts its own dockerd/containerd and registry, by PID.
#
#   e2e/install-deps.sh            # install what is missing
#   E2E_WITH_DISTRIBUTION=0 ...    # do not install Debian's docker-registry (CNCF Distribution)
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
    [htpasswd]=apache2-utils     # only for Distribution with WHARF_E2E_TOKEN (basic auth)
    [nginx]=nginx-light          # the cluster suite's load balancer (e2e/cluster/run)
    [dd]=coreutils
)
# Distribution is the peer registry the suite is validated against (WHARF_E2E_REGISTRY=distribution).
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

if [ ${#missing[@]} -eq 0 ]; then
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
apt-get update -q
# Packages' maintainer scripts try to start services; with no init system that is refused, harmlessly.
apt-get install -y -q "${pkgs[@]}"

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
echo "install-deps: done"
