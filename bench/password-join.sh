#!/usr/bin/env bash
# Issue 12 item 7a: a legitimate password join's latency (median) while one address floods a node with new password
# rooms, and the node's CPU meanwhile. Usage: bash bench/password-join.sh [noom.jar] [attackers] [seconds]
# Builds nothing: pass the jar (default target/noom.jar; `mvn -B -q -DskipTests package` makes it). Run it once with
# the jar before a change and once after.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${1:-$ROOT/target/noom.jar}
ATTACKERS=${2:-45}
SECS=${3:-20}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
LOG=$(mktemp /tmp/noom-password-bench.XXXXXX.log)
env PORT=$PORT HTTP_INSTANCES=1 STUN_URLS= MAX_MEMBERS_PER_ROOM=100 java -XX:+ExitOnOutOfMemoryError -jar "$JAR" \
  > "$LOG" 2>&1 < /dev/null &
NODE=$!
trap 'kill $NODE 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.2; done
java "$ROOT/bench/password/PasswordJoinBench.java" "$PORT" "$NODE" "$ATTACKERS" "$SECS"
