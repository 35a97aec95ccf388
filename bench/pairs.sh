# The closed-loop pairs rows and the join storm, driven by wsload (bench/wsload/, C, one thread) for Noom and the
# socket.io peer alike. Sourced by `bash bench/run.sh --pairs` after the build, the quiet wait and machine.txt; uses
# run.sh's start_noom / start_peer / start_redis / stop / wsload. Every server on core 0, wsload on core 1.
PAIRS_SECS="${PAIRS_SECS:-5}"      # measured seconds per row
PAIRS_WARMUP="${PAIRS_WARMUP:-2}"  # unmeasured seconds of the same load before each row
WARM_SECS="${WARM_SECS:-20}"       # the JIT / collector warm-up of each stack before its first row (discarded)
STORM_WARMUPS="${STORM_WARMUPS:-12}" # discarded join storms per stack before the storm rows: the connect/hello/join/close
                                    # code is not the relay's, and the JIT needs ~60,000 joins to settle on one core
BYTES="${BYTES:-64}"               # the signal payload object's size
SIO_ACK="${SIO_ACK:-1}"            # 1: socket.io signals carry an ack id and the peer acknowledges each, as Noom does
PAIR_ROWS=("1 1" "50 1" "200 8")   # "pairs window"
{ echo "pairs_secs=$PAIRS_SECS"; echo "pairs_warmup=$PAIRS_WARMUP"; echo "warm_secs=$WARM_SECS"; echo "bytes=$BYTES"
  echo "sio_ack=$SIO_ACK"; echo "storm_warmups=$STORM_WARMUPS"; echo "runs=$RUNS"; } >> "$OUT/machine.txt"

pairs_rows() { # prefix: runs every row for both stacks, alternating, with the URL / PID maps of the caller
  local prefix=$1 r row p w s
  for s in noom sio; do
    log "$prefix: warming $s up (200 pairs x 8 for ${WARM_SECS} s, discarded)"
    wsload pairs wl=warmup proto=$s urls="${URL[$s]}" pairs=200 window=8 bytes="$BYTES" warmup="$WARM_SECS" secs=1 \
      ack="$SIO_ACK" > /dev/null
  done
  for r in $(seq 1 "$RUNS"); do
    for row in "${PAIR_ROWS[@]}"; do
      read -r p w <<< "$row"
      for s in noom sio; do
        wsload pairs wl="$prefix-${p}x$w" run="$r" proto=$s urls="${URL[$s]}" pairs="$p" window="$w" bytes="$BYTES" \
          warmup="$PAIRS_WARMUP" secs="$PAIRS_SECS" ack="$SIO_ACK" pids="${PID[$s]}" > /dev/null
      done
      # the issue's baseline: relaying without acknowledgements — socket.io emits without an ack callback, Noom's
      # clients send their signals without id (PROTOCOL.md: no id, no ack)
      if [[ "$p" -gt 1 && "$SIO_ACK" == 1 ]]; then
        for s in noom sio; do
          wsload pairs wl="$prefix-${p}x$w-noack" run="$r" proto=$s urls="${URL[$s]}" pairs="$p" window="$w" \
            bytes="$BYTES" warmup="$PAIRS_WARMUP" secs="$PAIRS_SECS" ack=0 pids="${PID[$s]}" > /dev/null
        done
      fi
    done
  done
}

# -- one node each
NPORT=$(free_port); PPORT=$(free_port)
NPID=$(start_noom "$NPORT" "" single | tail -1)
PPID_=$(start_peer "$PPORT" "" single | tail -1)
declare -A URL=([noom]="127.0.0.1:$NPORT" [sio]="127.0.0.1:$PPORT")
declare -A PID=([noom]="$NPID" [sio]="$PPID_")
log "pairs, one node: ${PAIR_ROWS[*]} (pairs window), ${RUNS} runs, ${PAIRS_WARMUP} s + ${PAIRS_SECS} s each"
pairs_rows pairs
for s in noom sio; do
  log "warming $s up for the join storm (${STORM_WARMUPS} storms of 5000 clients, discarded)"
  for _ in $(seq 1 "$STORM_WARMUPS"); do
    wsload storm wl=storm-warmup proto=$s urls="${URL[$s]}" n=5000 window=500 > /dev/null
  done
done
log "join storm with wsload: 5000 clients, 500 in flight, ${RUNS} runs"
for r in $(seq 1 "$RUNS"); do
  for s in noom sio; do
    wsload storm wl=c-storm run="$r" proto=$s urls="${URL[$s]}" n=5000 window=500 pids="${PID[$s]}" > /dev/null
  done
done
stop "$NPID" "$PPID_"

# -- two nodes + Redis each (each stack its own redis-server); member 0 of every pair on node A, member 1 on node B
R1=$(free_port); start_redis "$R1"; R2=$(free_port); start_redis "$R2"
A=$(free_port); B=$(free_port); C=$(free_port); D=$(free_port)
N1=$(start_noom "$A" "redis://127.0.0.1:$R1" nodeA | tail -1); N2=$(start_noom "$B" "redis://127.0.0.1:$R1" nodeB | tail -1)
P1=$(start_peer "$C" "redis://127.0.0.1:$R2" peerA | tail -1); P2=$(start_peer "$D" "redis://127.0.0.1:$R2" peerB | tail -1)
RS1=$(pgrep -f "redis-server 127.0.0.1:$R1" | head -1 || true); RS2=$(pgrep -f "redis-server 127.0.0.1:$R2" | head -1 || true)
URL=([noom]="127.0.0.1:$A,127.0.0.1:$B" [sio]="127.0.0.1:$C,127.0.0.1:$D")
PID=([noom]="$N1,$N2,$RS1" [sio]="$P1,$P2,$RS2")
log "pairs, two nodes + Redis"
pairs_rows pairs-x
stop "$N1" "$N2" "$P1" "$P2"

# -- two nodes + a Redis Cluster each (opt-in: CLUSTER=1)
if [[ "${CLUSTER:-0}" == 1 ]]; then source "$BENCH/pairs_cluster.sh"; fi

# -- idle memory (IDLE=1): the full suite's row 3 in this run, so that every issue-13 target comes from one sitting;
# a fresh server per stack; 2,000 sessions joined first (what a server pays once — JIT code, compiler arenas, class
# metadata — is then paid), then 10,000 more, each joined to a 2-person room: RSS and heap after a collection per
# session over those 10,000 (the slope), and from the fresh server over all 12,000, measured by the Java generator
if [[ "${IDLE:-0}" == 1 ]]; then
  log "idle sessions: 10,000 per stack, Java generator"
  P=$(free_port); NP=$(start_noom "$P" "" idle | tail -1)
  gen idle wl=idle-10000 proto=noom urls=127.0.0.1:$P base=2000 n=10000 pid=$NP kind=java > /dev/null
  stop "$NP"
  P=$(free_port); PP=$(start_peer "$P" "" idle | tail -1)
  gen idle wl=idle-10000 proto=sio urls=127.0.0.1:$P base=2000 n=10000 pid=$PP kind=node memUrl=http://127.0.0.1:$P/bench/mem > /dev/null
  stop "$PP"
fi

echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
python3 "$BENCH/report.py" pairs "$OUT" > "$OUT/pairs.md"
python3 "$BENCH/report.py" splice "$OUT/pairs.md" "$ROOT/docs/BENCHMARKS.md" pairs
log "done: $OUT/pairs.md (also spliced into docs/BENCHMARKS.md)"
