# The two-node pairs rows again, on a Redis Cluster instead of one Redis (issue 16): opt-in with CLUSTER=1
#   CLUSTER=1 bash bench/run.sh --pairs
# Sourced by bench/pairs.sh after its own rows; uses run.sh's start_noom / start_peer / stop / wsload / log, pairs.sh's
# pairs_rows. Each stack gets its own Redis Cluster of 3 masters (no replicas: a replica only copies, it serves
# nothing here), every redis-server pinned to the server core as the single Redis is. Noom runs with REDIS_CLUSTER,
# socket.io with @socket.io/redis-adapter's sharded adapter (createShardedAdapter, node-redis cluster client;
# subscriptionMode SIO_SUBSCRIPTION_MODE, default dynamic-private: see bench/peer/server.js).
# Per shard: INFO commandstats / INFO cpu of every master, reset before each stack's rows and read after them, into
# shards.jsonl (the "per shard" table of pairs.md).

start_redis_cluster() { # port port port → the seeds as host:port,… once the cluster reports ok
  local p seeds=() nodes=()
  for p in "$@"; do
    setsid $PRIO taskset -c "$SERVER_CORE" redis-server --port "$p" --bind 127.0.0.1 --save "" --appendonly no \
      --cluster-enabled yes --cluster-config-file "$OUT/nodes-$p.conf" --dir "$OUT" \
      > "$OUT/redis-$p.log" 2>&1 < /dev/null &
    echo "$!" >> "$OUT/pids"
    for _ in $(seq 1 40); do redis-cli -p "$p" ping > /dev/null 2>&1 && break; sleep 0.1; done
    nodes+=("127.0.0.1:$p"); seeds+=("127.0.0.1:$p")
  done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >> "$OUT/redis-cluster-create.log" 2>&1
  for p in "$@"; do
    for _ in $(seq 1 100); do redis-cli -p "$p" cluster info | grep -q '^cluster_state:ok' && break; sleep 0.1; done
    redis-cli -p "$p" cluster info | grep -q '^cluster_state:ok' || { log "Redis Cluster on $p not ok"; exit 1; }
  done
  local IFS=,; echo "${seeds[*]}"
}

redis_pids() { # port… → pid,pid,… of their redis-server processes
  local p pids=()
  for p in "$@"; do pids+=("$(pgrep -f "redis-server 127.0.0.1:$p" | head -1)"); done
  local IFS=,; echo "${pids[*]}"
}

shard_stats() { # proto port… → one JSON line per master into shards.jsonl: the commands and CPU since the last reset
  local proto=$1 p; shift
  for p in "$@"; do
    python3 - "$proto" "$p" "$(redis-cli -p "$p" cluster myid)" \
      "$(redis-cli -p "$p" info commandstats)" "$(redis-cli -p "$p" info cpu)" "$(redis-cli -p "$p" cluster nodes)" \
      >> "$OUT/shards.jsonl" <<'PY'
import json, re, sys
proto, port, myid, stats, cpu, nodes = sys.argv[1:]
calls = {m[0]: int(m[1]) for m in re.findall(r"cmdstat_([a-z|]+):calls=(\d+)", stats)}
slots = next((" ".join(l.split()[8:]) for l in nodes.splitlines() if l.startswith(myid)), "")
cpu_s = sum(float(v) for k, v in re.findall(r"(used_cpu_(?:sys|user)):([\d.]+)", cpu))
print(json.dumps({"wl": "shards", "proto": proto, "master": int(port), "slots": slots, "cpuS": round(cpu_s, 3),
                  "calls": calls, "total": sum(calls.values())}))
PY
  done
}

reset_stats() { local p; for p in "$@"; do redis-cli -p "$p" config resetstat > /dev/null; done; }

cluster_ports() { # n → n free ports whose cluster bus port (+10000) is free too
  python3 - "$1" <<'PY'
import socket, sys
found = []
while len(found) < int(sys.argv[1]):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    if p > 55000 or p in found: continue
    try:
        with socket.socket() as bus: bus.bind(("127.0.0.1", p + 10000))
    except OSError: continue
    found.append(p)
print(" ".join(map(str, found)))
PY
}

read -r -a RC_NOOM <<< "$(cluster_ports 3)"; read -r -a RC_SIO <<< "$(cluster_ports 3)"
SEEDS_NOOM=$(start_redis_cluster "${RC_NOOM[@]}" | tail -1)
SEEDS_SIO=$(start_redis_cluster "${RC_SIO[@]}" | tail -1)
A=$(free_port); B=$(free_port); C=$(free_port); D=$(free_port)
# REDIS_CLUSTER for these nodes only (start_noom passes NOOM_LIMITS on to the node's environment; REDIS_URL stays empty)
N1=$(NOOM_LIMITS="$NOOM_LIMITS REDIS_CLUSTER=$SEEDS_NOOM" start_noom "$A" "" nodeA-rc | tail -1)
N2=$(NOOM_LIMITS="$NOOM_LIMITS REDIS_CLUSTER=$SEEDS_NOOM" start_noom "$B" "" nodeB-rc | tail -1)
wait_http "http://127.0.0.1:$A/ready"; wait_http "http://127.0.0.1:$B/ready"
P1=$(REDIS_CLUSTER="$SEEDS_SIO" start_peer "$C" "" peerA-rc | tail -1)
P2=$(REDIS_CLUSTER="$SEEDS_SIO" start_peer "$D" "" peerB-rc | tail -1)
URL=([noom]="127.0.0.1:$A,127.0.0.1:$B" [sio]="127.0.0.1:$C,127.0.0.1:$D")
PID=([noom]="$N1,$N2,$(redis_pids "${RC_NOOM[@]}")" [sio]="$P1,$P2,$(redis_pids "${RC_SIO[@]}")")
echo "sio_subscription_mode=${SIO_SUBSCRIPTION_MODE:-dynamic-private}" >> "$OUT/machine.txt"
log "pairs, two nodes + Redis Cluster (3 masters; Noom REDIS_CLUSTER, socket.io sharded adapter)"
reset_stats "${RC_NOOM[@]}" "${RC_SIO[@]}"
pairs_rows pairs-rc
shard_stats noom "${RC_NOOM[@]}"
shard_stats sio "${RC_SIO[@]}"
stop "$N1" "$N2" "$P1" "$P2"
