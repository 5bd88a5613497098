#!/usr/bin/env bash
# A local Kubernetes for tests and demos (`npm run kube -- start|stop|status|kubectl …`): etcd,
# kube-apiserver, kube-controller-manager, kube-scheduler and kwok on 127.0.0.1 (free ports), with
# three fake nodes in zones zone-a, zone-b and zone-c. kwok plays the kubelets: pods are scheduled
# for real and reported Running at once, but no container ever runs. Data, PKI, logs and pid files
# live under $GANTRY_DATA_DIR/kube. `start` prints the admin kubeconfig's path as its last line.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/../setup/lib.sh"
. "$here/pki.sh"

kube="$GANTRY_DATA_DIR/kube"
run="$kube/run"
logs="$kube/logs"
kubeconfig="$kube/admin.kubeconfig"
# Stopped in the reverse of this order, each waited for: an apiserver still shutting down holds
# its port and its etcd, and a quick restart would fail.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

kube_say() { echo "kube: $*" >&2; }
kube_die() { echo "kube: $*" >&2; exit 1; }

pid_of() { [ -s "$run/$1.pid" ] && cat "$run/$1.pid"; }
alive() { local pid; pid="$(pid_of "$1")" && kill -0 "$pid" 2>/dev/null; }

# A port nobody listens on, from a range away from the usual servers'.
free_port() {
  local port=$((20000 + RANDOM % 20000))
  while port_open "$port"; do port=$((port + 1)); done
  echo "$port"
}

launch() {
  local name=$1
  shift
  # Its own session, so a Ctrl-C in the shell that started it does not reach it.
  setsid "$@" >"$logs/$name.log" 2>&1 </dev/null &
  echo $! >"$run/$name.pid"
}

kubectl_() { "$bin/kubectl" --kubeconfig "$kubeconfig" "$@"; }
api_ready() { alive kube-apiserver && [ "$(kubectl_ get --raw /readyz 2>/dev/null)" = ok ]; }

running() {
  local name
  for name in "${COMPONENTS[@]}"; do alive "$name" || return 1; done
  [ -s "$kubeconfig" ] && api_ready
}

# Waits until "$@" succeeds, or fails naming the component and the tail of its log.
await() {
  local what=$1 log=$2
  shift 2
  wait_until 90 "$@" || { tail -n 15 "$logs/$log.log" >&2; kube_die "$what did not come up (log: $logs/$log.log)"; }
}

stop_component() {
  local name=$1 pid
  pid="$(pid_of "$name")" || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait_until 60 bash -c "! kill -0 $pid" || { kill -KILL "$pid" 2>/dev/null || true; wait_until 10 bash -c "! kill -0 $pid"; }
  fi
  rm -f "$run/$name.pid"
}

stop_all() {
  local i
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do stop_component "${COMPONENTS[i]}"; done
}

start_all() {
  local pki="$kube/pki" etcd_port peer_port api_port
  make_pki "$pki"
  mkdir -p "$kube/etcd" && chmod 700 "$kube/etcd"
  etcd_port="$(free_port)" && peer_port="$(free_port)"
  launch etcd "$bin/etcd" --name gantry-local --data-dir "$kube/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "gantry-local=http://127.0.0.1:$peer_port" --listen-metrics-urls "" \
    --quota-backend-bytes 1073741824
  await etcd etcd port_open "$etcd_port"

  api_port="$(free_port)"
  # Loopback as the advertised address needs the endpoint reconciler off (it errs every 10 s).
  launch kube-apiserver "$bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --secure-port "$api_port" --advertise-address 127.0.0.1 \
    --endpoint-reconciler-type none --authorization-mode Node,RBAC --allow-privileged \
    --client-ca-file "$pki/ca.crt" --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range 10.96.0.0/16 --cert-dir "$pki/generated"
  write_kubeconfig "$pki" "$api_port" "$kubeconfig"
  await kube-apiserver kube-apiserver api_ready

  local common=(--kubeconfig "$kubeconfig" --authentication-kubeconfig "$kubeconfig"
    --authorization-kubeconfig "$kubeconfig" --bind-address 127.0.0.1 --leader-elect=false)
  launch kube-controller-manager "$bin/kube-controller-manager" "${common[@]}" --secure-port "$(free_port)" \
    --use-service-account-credentials=false --controllers '*,-nodeipam,-cloud-node-lifecycle' \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --root-ca-file "$pki/ca.crt" --service-account-private-key-file "$pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16
  # kwok fakes node and pod status but places nothing: the real scheduler does.
  launch kube-scheduler "$bin/kube-scheduler" "${common[@]}" --secure-port "$(free_port)"
  launch kwok "$bin/kwok" --kubeconfig "$kubeconfig" --config "$bin/kwok-stages.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --server-address "127.0.0.1:$(free_port)"
  apply_nodes
  await "the fake nodes" kwok nodes_ready
}

nodes_ready() {
  local ready
  ready="$(kubectl_ get nodes -l type=kwok -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}')"
  [ "$(grep -c True <<<"$ready")" = 3 ]
}

apply_nodes() {
  local zone
  for zone in a b c; do
    cat <<YAML
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-zone-$zone
  annotations: { kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0" }
  labels:
    type: kwok
    kubernetes.io/hostname: kwok-zone-$zone
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    topology.kubernetes.io/zone: zone-$zone
    topology.kubernetes.io/region: local
status:
  allocatable: { cpu: "32", memory: 128Gi, pods: "110" }
  capacity: { cpu: "32", memory: 128Gi, pods: "110" }
YAML
  done | kubectl_ apply -f - >/dev/null
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  start | kubectl) bin="$(bash "$here/build-cluster.sh")" ;;
esac
case "$cmd" in
  start)
    mkdir -p "$run" "$logs"
    exec 9>"$kube/.lock" && flock 9
    if ! running; then
      started=$SECONDS
      stop_all
      start_all
      kube_say "started in $((SECONDS - started))s (logs: $logs)"
    fi
    echo "$kubeconfig"
    ;;
  stop)
    mkdir -p "$run"
    exec 9>"$kube/.lock" && flock 9
    stop_all
    ;;
  status)
    for name in "${COMPONENTS[@]}"; do
      if alive "$name"; then echo "$name: running (pid $(pid_of "$name"))"; else echo "$name: stopped"; fi
    done
    ;;
  kubectl)
    [ -s "$kubeconfig" ] || kube_die "no cluster here yet: run \`npm run kube -- start\`"
    exec "$bin/kubectl" --kubeconfig "$kubeconfig" "$@"
    ;;
  *)
    echo "usage: npm run kube -- <start|stop|status|kubectl [args]>" >&2
    exit 2
    ;;
esac
