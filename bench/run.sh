#!/usr/bin/env bash
# The Noom benchmark suite. From the repository root:
#   bash bench/run.sh            full suite (~25 min): builds Noom and the generator, installs the socket.io peer from npm,
#                                runs every workload for Noom and the peer, writes bench/results/<stamp>/ and the table in
#                                docs/BENCHMARKS.md (between the results markers)
#   bash bench/run.sh --smoke    < 90 s: the generator against one Noom node (no npm); exits non-zero if anything failed
#   bash bench/run.sh --pairs    ~6 min: the closed-loop pairs rows and the join storm with wsload (the C generator,
#                                bench/wsload/), Noom and socket.io side by side, one node and two nodes + Redis; writes the
#                                table between the pairs markers of docs/BENCHMARKS.md (env: PAIRS_SECS=5, PAIRS_WARMUP=2,
#                                WARM_SECS=20, BYTES=64, SIO_ACK=1, RUNS=3; CLUSTER=1 adds the two-node rows on a Redis
#                                Cluster, socket.io with its sharded adapter, and a per-shard table: bench/pairs_cluster.sh)
# Options (env): RUNS=3 (repeats of the latency rows; medians are reported), NOOM_JAR=path (skip the root build),
#   SKIP_BROWSER=1, SKIP_PROFILE=1, QUIET_WAIT=120 (seconds to wait for a quiet machine, load average < 0.7, before starting)
# Pinning: every server (Noom nodes, socket.io nodes, redis-server, echo server) on core 0, generator and browsers on core 1.
set -euo pipefail

MODE=full
[[ "${1:-}" == "--smoke" ]] && MODE=smoke
[[ "${1:-}" == "--pairs" ]] && MODE=pairs
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$BENCH/results/$STAMP"
mkdir -p "$OUT"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"
RUNS="${RUNS:-3}"
SERVER_CORE="${SERVER_CORE:-0}"
GEN_CORE="${GEN_CORE:-1}"
PIDS=()
# The same priority for every server and the generator, both stacks: on a shared machine (other builds running) a high
# CFS weight keeps their noise out of the measurement. PRIO= (empty) to run at normal priority.
if [[ -z "${PRIO+x}" ]]; then if [[ $(id -u) == 0 ]]; then PRIO="nice -n -19"; else PRIO=""; fi; fi

log() { echo "[bench $(date +%H:%M:%S)] $*" | tee -a "$OUT/bench.log" >&2; }

cleanup() { # every server this script started (their pids are written to $OUT/pids, command substitutions included)
  for p in "${PIDS[@]:-}" $(cat "$OUT/pids" 2>/dev/null); do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_http() { # url
  for _ in $(seq 1 120); do curl -sf -o /dev/null "$1" && return 0; sleep 0.25; done
  log "not up: $1"; return 1
}

# ---- build
ulimit -n "$(ulimit -Hn)" || true
log "ulimit -n = $(ulimit -n)"
if [[ -z "${NOOM_JAR:-}" ]]; then
  if [[ "$MODE" == smoke && -f "$ROOT/target/noom.jar" ]]; then NOOM_JAR="$ROOT/target/noom.jar"
  else
    log "building Noom (mvn -B -q package -DskipTests)"
    (cd "$ROOT" && mvn -B -q package -DskipTests) >> "$OUT/build.log" 2>&1
    NOOM_JAR="$ROOT/target/noom.jar"
  fi
fi
if [[ "$MODE" != pairs || "${IDLE:-0}" == 1 ]]; then
  log "building the generator (mvn -B -q -f bench/pom.xml package)"
  mvn -B -q -f "$BENCH/pom.xml" package >> "$OUT/build.log" 2>&1
fi
GEN_JAR="$BENCH/target/noom-bench.jar"
log "building wsload and slice (gcc -O2, bench/wsload/)"
mkdir -p "$BENCH/target"
W="$BENCH/wsload"
gcc -O2 -Wall -o "$BENCH/target/wsload" "$W/wsload.c" "$W/ws.c" "$W/proto.c" "$W/hist.c" >> "$OUT/build.log" 2>&1
gcc -O2 -Wall -o "$BENCH/target/slice" "$W/slice.c" >> "$OUT/build.log" 2>&1
WSLOAD="$BENCH/target/wsload"
# SLICE_NS=100000: every server and the generator run with a 0.1 ms EEVDF slice (bench/wsload/slice.c), so that on a
# shared machine they preempt a busy neighbour when they wake instead of waiting out its slice. Off by default.
if [[ -n "${SLICE_NS:-}" ]]; then PRIO="${PRIO:-} $BENCH/target/slice $SLICE_NS"; fi
HAVE_PEER=0
if [[ "$MODE" != smoke ]]; then
  log "installing the socket.io peer from npm"
  (cd "$BENCH/peer" && npm install --no-audit --no-fund) >> "$OUT/build.log" 2>&1
  HAVE_PEER=1
elif [[ -d "$BENCH/peer/node_modules/socket.io" ]]; then HAVE_PEER=1
fi

# ---- processes
# Noom's abuse limits (per-session token buckets, 50 connections per client address) are policy, not relay cost: the
# generator opens thousands of sessions from 127.0.0.1 and relays ≥ 1,000 signals/s per session, and the peer has no such
# limits, so they are switched off here (0 = no limit). NOOM_LIMITS="" to measure with the defaults.
NOOM_LIMITS="${NOOM_LIMITS-RATE_SIGNALS_PER_SECOND=0 RATE_CHAT_PER_SECOND=0 RATE_JOINS_PER_SECOND=0 MAX_CONNECTIONS_PER_IP=0}"
# Noom runs with the JVM flags its Dockerfile ships (a 32 MB young generation keeps collector pauses short on one core).
NOOM_JAVA_OPTS="${NOOM_JAVA_OPTS--XX:+ExitOnOutOfMemoryError -Xmn32m}"
start_noom() { # port redisUrl nodeId [extra java opts]  → echoes pid
  local port=$1 redis=$2 id=$3 opts=${4:-}
  env $NOOM_LIMITS PORT=$port REDIS_URL=$redis NODE_ID=$id HTTP_INSTANCES=1 STUN_URLS= \
    setsid $PRIO taskset -c "$SERVER_CORE" java $NOOM_JAVA_OPTS $opts -jar "$NOOM_JAR" > "$OUT/noom-$id-$port.log" 2>&1 < /dev/null &
  local pid=$!
  echo "$pid" >> "$OUT/pids"
  wait_http "http://127.0.0.1:$port/health" || { tail -20 "$OUT/noom-$id-$port.log" >&2; exit 1; }
  if [[ -n "$redis" ]]; then wait_http "http://127.0.0.1:$port/ready"; fi
  echo "$pid"
}
start_peer() { # port redisUrl nodeId
  local port=$1 redis=$2 id=$3
  PORT=$port REDIS_URL=$redis NODE_ID=$id \
    setsid $PRIO taskset -c "$SERVER_CORE" node --expose-gc "$BENCH/peer/server.js" > "$OUT/peer-$id-$port.log" 2>&1 < /dev/null &
  local pid=$!
  echo "$pid" >> "$OUT/pids"
  wait_http "http://127.0.0.1:$port/health" || { tail -20 "$OUT/peer-$id-$port.log" >&2; exit 1; }
  echo "$pid"
}
start_redis() { # port
  setsid $PRIO taskset -c "$SERVER_CORE" redis-server --port "$1" --bind 127.0.0.1 --save "" --appendonly no \
    > "$OUT/redis-$1.log" 2>&1 < /dev/null &
  echo "$!" >> "$OUT/pids"
  for _ in $(seq 1 40); do redis-cli -p "$1" ping > /dev/null 2>&1 && return 0; sleep 0.1; done
}
stop() { for p in "$@"; do kill "$p" 2>/dev/null || true; for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; done; }

wsload() { # wsload args...: the C generator, on the generator core, its RESULT lines into results.jsonl
  $PRIO taskset -c "$GEN_CORE" "$WSLOAD" "$@" 2>> "$OUT/wsload.err" | tee -a "$OUT/generator.out" \
    | grep '^RESULT ' | sed 's/^RESULT //' | tee -a "$RESULTS" || true
}

gen() { # generator args...
  $PRIO taskset -c "$GEN_CORE" java -Xms512m -Xmx2g -jar "$GEN_JAR" "$@" 2>> "$OUT/generator.err" | tee -a "$OUT/generator.out" \
    | grep '^RESULT ' | sed 's/^RESULT //' | tee -a "$RESULTS" || true
}

# ---------------------------------------------------------------- smoke
if [[ "$MODE" == smoke ]]; then
  P=$(free_port)
  NP=$(start_noom "$P" "" smoke | tail -1)
  U="127.0.0.1:$P"
  gen relay wl=smoke-relay proto=noom urls=$U rooms=2 size=2 rates=200 warmup=1 secs=2 maxP99Ms=250 > /dev/null
  gen relay wl=smoke-chat proto=noom urls=$U rooms=2 size=5 mode=chat rates=100 warmup=1 secs=2 maxP99Ms=250 > /dev/null
  gen pingpong wl=smoke-pingpong proto=noom urls=$U rooms=2 bytes=64 warmup=1 secs=2 > /dev/null
  gen storm wl=smoke-storm proto=noom urls=$U n=100 window=20 > /dev/null
  gen setup wl=smoke-setup proto=noom urls=$U pairs=20 > /dev/null
  gen idle wl=smoke-idle proto=noom urls=$U n=100 pid=$NP kind=java settle=1 > /dev/null
  wsload pairs wl=smoke-c-pairs proto=noom urls=$U pairs=20 window=4 warmup=1 secs=2 pids=$NP > /dev/null
  wsload storm wl=smoke-c-storm proto=noom urls=$U n=200 window=50 pids=$NP > /dev/null
  if [[ $HAVE_PEER == 1 ]]; then
    PP=$(free_port); PPID_=$(start_peer "$PP" "" smoke | tail -1)
    gen relay wl=smoke-peer proto=sio urls=127.0.0.1:$PP rooms=2 size=2 rates=200 warmup=1 secs=2 maxP99Ms=250 > /dev/null
    stop "$PPID_"
  fi
  stop "$NP"
  python3 "$BENCH/report.py" check "$RESULTS"
  exit $?
fi

# ---------------------------------------------------------------- full suite (and --pairs: same start)
if [[ "${QUIET_WAIT:-120}" -gt 0 ]]; then
  for _ in $(seq 1 "$(( ${QUIET_WAIT:-120} / 5 ))"); do
    awk '{exit !($1 < 0.7)}' /proc/loadavg && break; sleep 5
  done
fi
{
  echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "nproc=$(nproc)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "kernel=$(uname -r)"
  echo "java=$(java -version 2>&1 | head -1)"
  echo "node=$(node -v)"
  echo "redis=$(redis-server --version | awk '{print $3}')"
  echo "socketio=$(node -p 'require("'"$BENCH"'/peer/node_modules/socket.io/package.json").version' 2>/dev/null)"
  echo "adapter=$(node -p 'require("'"$BENCH"'/peer/node_modules/@socket.io/redis-adapter/package.json").version' 2>/dev/null)"
  echo "commit=$(cat "$(dirname "$NOOM_JAR")/../COMMIT" 2>/dev/null || git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "noom_jar=$NOOM_JAR"
  echo "loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "ulimit_n=$(ulimit -n)"
  echo "prio=${PRIO:-none}"
  echo "noom_limits=${NOOM_LIMITS:-defaults}"
} > "$OUT/machine.txt"
log "machine: $(tr '\n' ' ' < "$OUT/machine.txt")"

if [[ "$MODE" == pairs ]]; then
  source "$BENCH/pairs.sh"
  exit 0
fi

# -- floors
EP=$(free_port)
setsid $PRIO taskset -c "$SERVER_CORE" java -jar "$GEN_JAR" tcp-echo-server port="$EP" > "$OUT/echo.log" 2>&1 < /dev/null &
ECHO_PID=$!; PIDS+=("$ECHO_PID"); sleep 1
RP=$(free_port); start_redis "$RP"
for r in $(seq 1 "$RUNS"); do
  gen tcp-floor wl=floor-tcp run="$r" port="$EP" n=20000
  gen tcp-floor wl=floor-tcp-open run="$r" port="$EP" n=5000 pauseUs=1000
  gen redis-floor wl=floor-redis run="$r" port="$RP" n=20000
  gen redis-floor wl=floor-redis-open run="$r" port="$RP" n=5000 pauseUs=1000
done
stop "$ECHO_PID"

# -- single node: Noom and the peer side by side
NPORT=$(free_port); PPORT=$(free_port)
NPID=$(start_noom "$NPORT" "" single | tail -1)
PPID_=$(start_peer "$PPORT" "" single | tail -1)
declare -A URL=([noom]="127.0.0.1:$NPORT" [sio]="127.0.0.1:$PPORT")
declare -A PID=([noom]="$NPID" [sio]="$PPID_")
warm() { # proto urls: both the JIT of the server and its collector's steady state (signals, then chat), discarded
  gen relay wl=warmup proto=$1 urls=$2 rooms=200 size=2 rates=10000 warmup=20 secs=2 maxP99Ms=1000 > /dev/null
  gen relay wl=warmup proto=$1 urls=$2 rooms=100 size=5 mode=chat rates=2000 warmup=5 secs=2 maxP99Ms=1000 > /dev/null
}
log "warm-up (both stacks: 200 rooms x 2 at 10k signals/s for 22 s, 100 rooms x 5 at 2k chats/s for 7 s, discarded)"
for s in noom sio; do warm $s "${URL[$s]}"; done

log "1a. unloaded 1:1 relay latency, closed loop (one signal in flight), same node"
for r in $(seq 1 "$RUNS"); do
  for b in 64 3000; do
    for s in noom sio; do
      gen pingpong wl=pp-same-$b run="$r" proto=$s urls=${URL[$s]} rooms=1 bytes=$b warmup=2 secs=5 pids=${PID[$s]} > /dev/null
    done
  done
done

log "1b. unloaded 1:1 relay latency, open loop, same node (1000 msgs/s, 64 B / 250 B / 3 KB)"
for r in $(seq 1 "$RUNS"); do
  for b in 64 250 3000; do
    for s in noom sio; do
      gen relay wl=lat-same-$b run="$r" proto=$s urls=${URL[$s]} rooms=1 size=2 bytes=$b rates=1000 warmup=3 secs=5 \
        maxP99Ms=1000 pids=${PID[$s]} > /dev/null
    done
  done
done

log "2. throughput-latency curves, same node"
RATES2="5000,10000,20000,30000,40000,50000,60000,70000,80000,90000,100000,120000,150000,180000"
RATES5="1000,2000,4000,6000,8000,10000,12000,15000,20000,25000,30000,40000"
for s in noom sio; do
  gen relay wl=curve-500x2 proto=$s urls=${URL[$s]} rooms=500 size=2 bytes=64 rates=$RATES2 prewarm=5 warmup=2 secs=4 pids=${PID[$s]} > /dev/null
  gen relay wl=curve-100x5 proto=$s urls=${URL[$s]} rooms=100 size=5 mode=chat bytes=64 rates=$RATES5 prewarm=5 warmup=2 secs=4 pids=${PID[$s]} > /dev/null
done

log "4. join storm (5000 clients, 500 in flight) and 5. call-setup burst (1000 pairs)"
for r in $(seq 1 "$RUNS"); do
  for s in noom sio; do
    gen storm wl=storm run="$r" proto=$s urls=${URL[$s]} n=5000 window=500 > /dev/null
    gen setup wl=setup run="$r" proto=$s urls=${URL[$s]} pairs=1000 > /dev/null
  done
done
stop "$NPID" "$PPID_"

# -- cross-node: 2 Noom nodes + Redis, 2 socket.io nodes + the Redis adapter (each stack its own redis-server)
log "1b/2b. cross-node latency and throughput"
R1=$(free_port); start_redis "$R1"; R2=$(free_port); start_redis "$R2"
A=$(free_port); B=$(free_port); C=$(free_port); D=$(free_port)
N1=$(start_noom "$A" "redis://127.0.0.1:$R1" nodeA | tail -1); N2=$(start_noom "$B" "redis://127.0.0.1:$R1" nodeB | tail -1)
P1=$(start_peer "$C" "redis://127.0.0.1:$R2" peerA | tail -1); P2=$(start_peer "$D" "redis://127.0.0.1:$R2" peerB | tail -1)
RS1=$(pgrep -f "redis-server 127.0.0.1:$R1" | head -1 || true); RS2=$(pgrep -f "redis-server 127.0.0.1:$R2" | head -1 || true)
declare -A XURL=([noom]="127.0.0.1:$A,127.0.0.1:$B" [sio]="127.0.0.1:$C,127.0.0.1:$D")
declare -A XPID=([noom]="$N1,$N2,$RS1" [sio]="$P1,$P2,$RS2")
for s in noom sio; do warm $s "${XURL[$s]}"; done
for r in $(seq 1 "$RUNS"); do
  for s in noom sio; do
    gen pingpong wl=pp-cross-64 run="$r" proto=$s urls=${XURL[$s]} rooms=1 bytes=64 warmup=2 secs=5 pids=${XPID[$s]} > /dev/null
    gen relay wl=lat-cross-64 run="$r" proto=$s urls=${XURL[$s]} rooms=1 size=2 bytes=64 rates=1000 warmup=3 secs=5 \
      maxP99Ms=1000 pids=${XPID[$s]} > /dev/null
  done
done
for s in noom sio; do
  gen relay wl=curve-cross-500x2 proto=$s urls=${XURL[$s]} rooms=500 size=2 bytes=64 rates=$RATES2 prewarm=5 warmup=2 secs=4 pids=${XPID[$s]} > /dev/null
done
stop "$N1" "$N2" "$P1" "$P2"

# -- idle memory: a fresh server per count
log "3. idle sessions (10k, and the most this machine's fd limit allows)"
MAXN=$(( ($(ulimit -n) - 1000) / 1000 * 1000 ))
for n in 10000 "$MAXN"; do
  P=$(free_port); NP=$(start_noom "$P" "" idle | tail -1)
  gen idle wl=idle-$n proto=noom urls=127.0.0.1:$P n=$n pid=$NP kind=java > /dev/null
  stop "$NP"
  P=$(free_port); PP=$(start_peer "$P" "" idle | tail -1)
  gen idle wl=idle-$n proto=sio urls=127.0.0.1:$P n=$n pid=$PP kind=node memUrl=http://127.0.0.1:$P/bench/mem > /dev/null
  stop "$PP"
done

# -- browser
if [[ -z "${SKIP_BROWSER:-}" ]]; then
  log "6. browser: join click → first remote frame (2 headless Chromium)"
  P=$(free_port); NP=$(start_noom "$P" "" browser | tail -1)
  # Not pinned to the generator core: Chromium's processes inherit the driver's affinity, and two browsers encoding,
  # decoding and rendering on one core measured the core, not the join (2.1 s median on one core before this change).
  (cd "$BENCH/peer" && $PRIO node browser.js "http://127.0.0.1:$P" 5 2>> "$OUT/browser.err") \
    | grep '^RESULT ' | sed 's/^RESULT //' | tee -a "$RESULTS" > /dev/null || true
  stop "$NP"
fi

# -- profile: JFR on a Noom node under the 500x2 load at a fixed high rate
if [[ -z "${SKIP_PROFILE:-}" ]]; then
  log "profile: JFR on Noom at 500x2, 40k msgs/s"
  P=$(free_port)
  NP=$(start_noom "$P" "" profile "-XX:+FlightRecorder -XX:StartFlightRecording=filename=$OUT/noom.jfr,settings=profile,dumponexit=true" | tail -1)
  gen relay wl=profile proto=noom urls=127.0.0.1:$P rooms=500 size=2 bytes=64 rates=40000 warmup=3 secs=10 maxP99Ms=1000 pids=$NP > /dev/null
  stop "$NP"
  sleep 1
  python3 "$BENCH/report.py" jfr "$OUT/noom.jfr" > "$OUT/profile.txt" 2>&1 || true
fi

echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
python3 "$BENCH/report.py" table "$OUT" > "$OUT/results.md"
python3 "$BENCH/report.py" splice "$OUT/results.md" "$ROOT/docs/BENCHMARKS.md"
log "done: $OUT/results.md (also spliced into docs/BENCHMARKS.md)"
