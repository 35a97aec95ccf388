#!/usr/bin/env bash
# What the cluster invariants (issue 10: I1–I5) cost in latency: the same closed-loop signal round (pingpong) and
# open-loop chat (relay mode=chat, 1,000/s) against two Noom builds, side by side in one sitting:
#   BEFORE_JAR=path/to/old/noom.jar bash bench/invariants.sh        (AFTER_JAR defaults to target/noom.jar)
# Topologies: one node without Redis; one node with Redis (both clients on it: a same-node message in a cluster);
# two nodes + Redis (cross-node). Servers on core 0, generator on core 1 (as bench/run.sh). Writes
# bench/results/<stamp>/invariants.jsonl and prints a table of medians over RUNS (default 3) runs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
OUT="$BENCH/results/$(date -u +%Y%m%dT%H%M%SZ)-invariants"
mkdir -p "$OUT"
RESULTS="$OUT/invariants.jsonl"
: > "$RESULTS"
RUNS="${RUNS:-3}"
AFTER_JAR="${AFTER_JAR:-$ROOT/target/noom.jar}"
: "${BEFORE_JAR:?set BEFORE_JAR to the jar of the build to compare against}"
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 120); do curl -sf -o /dev/null "$1" && return 0; sleep 0.25; done; echo "not up: $1" >&2; return 1; }

[[ -f "$BENCH/target/noom-bench.jar" ]] || mvn -B -q -f "$BENCH/pom.xml" package > "$OUT/build.log" 2>&1
GEN_JAR="$BENCH/target/noom-bench.jar"

start_noom() { # jar port redisUrl id -> pid
  local env=(PORT="$2" NODE_ID="$4" HTTP_INSTANCES=1 STUN_URLS= RATE_SIGNALS_PER_SECOND=0 RATE_CHAT_PER_SECOND=0)
  [[ -n "$3" ]] && env+=(REDIS_URL="$3")
  env "${env[@]}" taskset -c 0 java -Xmn32m -jar "$1" > "$OUT/noom-$4-$2.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  wait_http "http://127.0.0.1:$2/ready"
  echo "$pid"
}
gen() { taskset -c 1 java -Xms256m -Xmx1g -jar "$GEN_JAR" "$@" 2>> "$OUT/generator.err" | grep '^RESULT ' | sed 's/^RESULT //'; }

measure() { # build topology urls pids
  for r in $(seq 1 "$RUNS"); do
    gen pingpong proto=noom urls="$3" rooms=1 bytes=64 warmup=3 secs=5 pids="$4" \
      | python3 -c "import json,sys; [print(json.dumps({**json.loads(l),'build':'$1','topology':'$2','run':$r})) for l in sys.stdin]" >> "$RESULTS"
    gen relay proto=noom urls="$3" rooms=1 size=2 mode=chat bytes=64 rates=1000 warmup=3 secs=5 maxP99Ms=1000 pids="$4" \
      | python3 -c "import json,sys; [print(json.dumps({**json.loads(l),'build':'$1','topology':'$2','run':$r})) for l in sys.stdin]" >> "$RESULTS"
  done
}

for build in before after; do
  jar=$BEFORE_JAR; [[ $build == after ]] && jar=$AFTER_JAR
  P=$(free_port); N=$(start_noom "$jar" "$P" "" "single-$build" | tail -1)
  measure "$build" "1 node, no Redis" "127.0.0.1:$P" "$N"; kill "$N"
  RP=$(free_port); taskset -c 0 redis-server --port "$RP" --save '' --appendonly no > "$OUT/redis-$RP.log" 2>&1 &
  PIDS+=("$!"); RS=$!
  for _ in $(seq 1 40); do redis-cli -p "$RP" ping > /dev/null 2>&1 && break; sleep 0.1; done
  A=$(free_port); B=$(free_port)
  NA=$(start_noom "$jar" "$A" "redis://127.0.0.1:$RP" "a-$build" | tail -1)
  NB=$(start_noom "$jar" "$B" "redis://127.0.0.1:$RP" "b-$build" | tail -1)
  measure "$build" "1 node of a cluster" "127.0.0.1:$A" "$NA,$RS"
  measure "$build" "2 nodes + Redis" "127.0.0.1:$A,127.0.0.1:$B" "$NA,$NB,$RS"
  kill "$NA" "$NB" "$RS"
done

python3 - "$RESULTS" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(build, topo, mode, key):
    v = [r[key] for r in rows if r.get('build') == build and r.get('topology') == topo and r.get('mode') == mode and key in r]
    return statistics.median(v) if v else float('nan')
print("| topology | message | before p50 / p99 µs | after p50 / p99 µs | CPU % generator,servers (after, run 1) |")
print("|---|---|---|---|---|")
for topo in ["1 node, no Redis", "1 node of a cluster", "2 nodes + Redis"]:
    for mode, label in [("pingpong", "signal, closed loop"), ("relay", "chat, 1,000/s open loop")]:
        cpu = [r.get('cpuPct') for r in rows if r.get('build') == 'after' and r.get('topology') == topo and r.get('mode') == mode]
        print(f"| {topo} | {label} | {med('before',topo,mode,'p50us'):.0f} / {med('before',topo,mode,'p99us'):.0f} | "
              f"{med('after',topo,mode,'p50us'):.0f} / {med('after',topo,mode,'p99us'):.0f} | {cpu[0] if cpu else ''} |")
PY
