#!/usr/bin/env bash
# Builds Debian-based stand-ins for the upstream images docker-compose.yml and the Dockerfile use, for a machine that
# cannot pull from Docker Hub (an air-gapped site, a CI runner behind a firewall). Only Debian's package mirror is needed.
#
#   mvn -B -q package -DskipTests                 # the jar the Noom image ships (NOOM_PREBUILT_JAR=true)
#   bash deploy/base-images/build.sh >> .env      # then: docker-compose up -d --build
#
# --from-source also builds a Maven stand-in and lets the image compile the project itself; its containers then need
# Maven Central (or a mirror configured for Maven), which the default path does not.
# stdout is only the VAR=image lines that point compose and the Dockerfile at the stand-ins; progress goes to stderr.
# Re-running is cheap: the Debian base is built once and Docker's layer cache reuses every unchanged image.
# Each stand-in keeps its upstream image's contract (paths, entrypoint, user); see the Dockerfile next to it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
prefix="${LOCAL_IMAGE_PREFIX:-noom-local}"
base="${LOCAL_BASE_IMAGE:-$prefix/debian:bookworm}"

# The first deb.debian.org-style mirror this machine's apt uses (deb822 or one-line format), else Debian's own.
debian_mirror() {
  local url
  url="$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list \
    | grep -v -- '-security' | grep -oE 'https?://[^ ]+/debian/?' | head -n1 || true)"
  echo "${DEBIAN_MIRROR:-${url:-http://deb.debian.org/debian}}"
}

build_base() {
  if docker image inspect "$base" >/dev/null 2>&1; then return; fi
  command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
  local rootfs
  rootfs="$(mktemp -d)"
  echo "debootstrap bookworm from $(debian_mirror) ..." >&2
  debootstrap --variant=minbase bookworm "$rootfs" "$(debian_mirror)" >&2
  # services must not start inside an image build; no recommends keeps images small
  printf '#!/bin/sh\nexit 101\n' > "$rootfs/usr/sbin/policy-rc.d" && chmod +x "$rootfs/usr/sbin/policy-rc.d"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' > "$rootfs/etc/apt/apt.conf.d/90noom-local"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import --change 'CMD ["bash"]' --change 'ENV LANG=C.UTF-8' - "$base" >&2
  rm -rf "$rootfs"
}

from_source=false
[ "${1:-}" = --from-source ] && from_source=true

# image variable, local tag, build directory
images=(
  "NOOM_RUNTIME_IMAGE $prefix/eclipse-temurin:17-jre jre"
  "REDIS_IMAGE $prefix/redis:7 redis"
  "HAPROXY_IMAGE $prefix/haproxy:2.8 haproxy"
  "COTURN_IMAGE $prefix/coturn:4.6 coturn"
  "PROMETHEUS_IMAGE $prefix/prometheus:v2.53.0 prometheus"
)
$from_source && images+=("NOOM_BUILD_IMAGE $prefix/maven:3-eclipse-temurin-17 maven")

build_base
# In parallel: the builds mostly wait on the package mirror. Each one's log is shown only if it fails.
logs="$(mktemp -d)"
pids=()
for entry in "${images[@]}"; do
  read -r variable tag dir <<<"$entry"
  ( started=$SECONDS
    docker build --build-arg "BASE_IMAGE=$base" -t "$tag" "$here/$dir" >"$logs/$dir.log" 2>&1 \
      || { echo "building $tag failed:" >&2; cat "$logs/$dir.log" >&2; exit 1; }
    echo "built $tag in $((SECONDS - started)) s" >&2 ) &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
rm -rf "$logs"
[ "$failed" = 0 ] || exit 1

echo "# Debian-based stand-ins built by deploy/base-images/build.sh (no Docker Hub needed)"
for entry in "${images[@]}"; do
  read -r variable tag dir <<<"$entry"
  echo "$variable=$tag"
done
if ! $from_source; then
  echo "# the image ships target/noom.jar built on this machine; its build stage only moves the file"
  echo "NOOM_BUILD_IMAGE=$prefix/eclipse-temurin:17-jre"
  echo "NOOM_PREBUILT_JAR=true"
fi
echo "TLS_TOOLS_IMAGE=$base"
echo "# Grafana is not packaged by Debian: its service stays in the 'grafana' compose profile"
