#!/usr/bin/env bash
# CI: a Docker engine with the Debian stand-in base images, on a machine without Docker Hub. Installs docker.io,
# docker-compose and debootstrap if missing, starts dockerd if none runs (needs root), then builds the stand-ins
# (deploy/base-images/build.sh; its VAR=image lines go to stdout). Re-running is cheap: every image is cached.
# Used before `mvn verify` (the container tests, app.noom.cluster.faults.ContainerClusterFaultsTest, need the
# engine and the redis and JRE stand-ins) and by deploy/ci/compose-smoke.sh.
#   bash deploy/ci/docker-engine.sh > /dev/null
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$SECONDS
step() { echo "[docker-engine $((SECONDS - started)) s] $*" >&2; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  step "starting dockerd"
  nohup dockerd >/tmp/noom-ci-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { cat /tmp/noom-ci-dockerd.log >&2; echo "dockerd did not come up" >&2; exit 1; }
fi

step "building the Debian stand-in images"
bash deploy/base-images/build.sh
step "done"
