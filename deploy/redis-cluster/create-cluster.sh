#!/bin/sh
# One-shot of the compose "redis-cluster" profile: joins the six redis-node-N containers into one Redis Cluster (three
# masters with one replica each) unless they already form it, then waits until every node reports cluster_state:ok.
# NODES: the six ip:port, as each node announces itself (cluster-announce-ip). Re-running it is harmless.
set -eu
: "${NODES:?NODES (the cluster nodes as ip:port) is not set}"
deadline=$(( $(date +%s) + ${CLUSTER_WAIT_SECONDS:-60} ))

info() { redis-cli -h "${1%:*}" -p "${1#*:}" cluster info | tr -d '\r'; }
known() { info "$1" | sed -n 's/^cluster_known_nodes://p'; }

total=$(echo "$NODES" | wc -w) alone=0 joined=0
for node in $NODES; do
  count=$(known "$node")
  [ -n "$count" ] || { echo "$node does not answer CLUSTER INFO (not up, or not cluster-enabled)" >&2; exit 1; }
  [ "$count" = 1 ] && alone=$((alone + 1))
  [ "$count" = "$total" ] && joined=$((joined + 1))
done

if [ "$alone" = "$total" ]; then
  echo "creating the Redis Cluster: $NODES"
  # shellcheck disable=SC2086 # one argument per node
  redis-cli --cluster create $NODES --cluster-replicas 1 --cluster-yes
elif [ "$joined" = "$total" ]; then
  echo "the Redis Cluster already exists"
else
  echo "the redis-node containers are half a cluster ($joined of $total know all the others, $alone know none):" \
    "a node lost its state; recreate the profile (docker-compose down, then up) or re-add it with redis-cli --cluster add-node" >&2
  exit 1
fi

for node in $NODES; do
  until info "$node" | grep -q '^cluster_state:ok$'; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "node $node did not report cluster_state:ok in time" >&2
      exit 1
    fi
    sleep 1
  done
done
echo "Redis Cluster ready: $(info "${NODES%% *}" | grep -E '^cluster_(state|size|known_nodes):' | tr '\n' ' ')"
