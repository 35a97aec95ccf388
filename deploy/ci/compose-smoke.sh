#!/usr/bin/env bash
# CI: runs the compose stack exactly as the README documents it, on a machine without Docker Hub, and smoke-tests it
# through the load balancer (app.noom.browser.ComposeStackSmokeTest). Needs root (apt, dockerd) and target/noom.jar
# (mvn package or verify first). Tears the stack down however it ends.
#   bash deploy/ci/compose-smoke.sh
# --redis-cluster: the same stack in its "redis-cluster" profile (docs/DEPLOY.md: deploy/redis-cluster/compose.env
# appended to .env, the nodes on a six-node Redis Cluster), smoke-tested by app.noom.browser.ComposeRedisClusterSmokeTest.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$SECONDS
mode=default smoke_test=ComposeStackSmokeTest
case "${1:-}" in
  "") ;;
  --redis-cluster) mode=redis-cluster smoke_test=ComposeRedisClusterSmokeTest ;;
  *) echo "usage: $0 [--redis-cluster]" >&2; exit 2 ;;
esac
step() { echo "[compose-smoke $mode $((SECONDS - started)) s] $*"; }

# docker.io, docker-compose, debootstrap and a running dockerd (the stand-in images are built below, into .env)
bash deploy/ci/docker-engine.sh >/dev/null

test -f target/noom.jar || { echo "target/noom.jar missing: run mvn package first" >&2; exit 1; }

# A developer's own .env is kept aside and put back afterwards.
[ -f .env ] && mv .env .env.ci-saved
teardown() {
  local status=$?
  if [ "$status" != 0 ]; then
    step "failed; last logs:"
    docker-compose ps || true
    docker-compose logs --tail=40 || true
  fi
  docker-compose down -v --remove-orphans >/dev/null 2>&1 || true
  rm -f .env
  [ -f .env.ci-saved ] && mv .env.ci-saved .env
  step "stack down (exit $status)"
}
trap teardown EXIT

# Ports away from the defaults (80/443/9090) so a developer's machine running other things is not disturbed. Docker's
# descriptor limit may be below HAProxy's default needs (ulimit -Hn of dockerd): size HAProxy to fit.
nofile=$(awk '/Max open files/ {print $5}' "/proc/$(pgrep -xo dockerd)/limits" 2>/dev/null || echo 65536)
[ "$nofile" -gt 65536 ] && nofile=65536
secret() { head -c 24 /dev/urandom | base64 | tr -d '+/='; }
{
  grep -vE '^(TURN_SECRET|TURN_URLS|STUN_URLS|HTTP_PORT|HTTPS_PORT|PROMETHEUS_PORT|GRAFANA_ADMIN_PASSWORD)=' .env.example
  echo "TURN_SECRET=$(secret)"
  echo "TURN_URLS=turn:127.0.0.1:3478?transport=udp"
  echo "STUN_URLS=stun:127.0.0.1:3478"
  echo "HTTP_PORT=18080"
  echo "HTTPS_PORT=18443"
  echo "PROMETHEUS_PORT=19090"
  echo "GRAFANA_ADMIN_PASSWORD=$(secret)"
  echo "LB_NOFILE=$nofile"
  echo "LB_MAXCONN=$(( nofile / 2 - 100 ))"
  echo "NOOM_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
} > .env

# The README's lines for a machine without Docker Hub:
step "building the Debian stand-in images"
bash deploy/base-images/build.sh >> .env
# docs/DEPLOY.md's line for the profile:
if [ "$mode" = redis-cluster ]; then cat deploy/redis-cluster/compose.env >> .env; fi
step "docker-compose up -d --build"
docker-compose up -d --build

step "smoke test through the load balancer ($smoke_test)"
mvn -B -q verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=$smoke_test \
  -Dnoom.stack.url=https://127.0.0.1:18443 -Dnoom.stack.httpUrl=http://127.0.0.1:18080 \
  -Dnoom.stack.prometheusUrl=http://127.0.0.1:19090
step "smoke test passed"
