#!/bin/sh
# One-shot: joins six cluster-enabled Redis nodes into one Redis Cluster (three masters with one replica each) unless
# they already form it, then waits until every node reports cluster_state:ok. Re-running it is harmless.
# Used by the compose "redis-cluster" profile (service redis-cluster-init) and, verbatim in a ConfigMap, by the
# Kubernetes Job in deploy/k8s/redis-cluster/redis-cluster.yaml.
# NODES: the nodes as host:port (names are resolved: redis-cli --cluster create takes addresses); REDISCLI_AUTH: their
# password, if any; CLUSTER_WAIT_SECONDS: how long to wait for them all (default 60).
set -eu
: "${NODES:?NODES (the cluster nodes as host:port) is not set}"
deadline=$(( $(date +%s) + ${CLUSTER_WAIT_SECONDS:-60} ))
late() { [ "$(date +%s)" -ge "$deadline" ]; }

resolve() { # an IPv4 address as it is, a name through the resolver
  case "$1" in *[!0-9.]*) getent ahostsv4 "$1" | head -n1 | cut -d' ' -f1 ;; *) echo "$1" ;; esac
}

# Every node's address, once its name resolves and it answers PING (a pod's DNS name appears only once it runs).
addresses=""
for node in $NODES; do
  host=${node%:*} port=${node#*:}
  until ip=$(resolve "$host") && [ -n "$ip" ] && redis-cli -h "$ip" -p "$port" ping 2>/dev/null | grep -q PONG; do
    if late; then echo "$node does not answer PING" >&2; exit 1; fi
    sleep 1
  done
  addresses="$addresses $ip:$port"
done
NODES=${addresses# }

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
    if late; then
      echo "node $node did not report cluster_state:ok in time" >&2
      exit 1
    fi
    sleep 1
  done
done
echo "Redis Cluster ready: $(info "${NODES%% *}" | grep -E '^cluster_(state|size|known_nodes):' | tr '\n' ' ')"
