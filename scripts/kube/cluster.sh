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

# The port a component had last time when it is still free (etcd keeps its peer URL in its data,
# and a kubeconfig copied elsewhere keeps working), else one nobody listens on, away from the
# usual servers' ports.
port_for() {
  local file="$run/$1.port" port
  if [ -s "$file" ] && ! port_open "$(cat "$file")"; then cat "$file"; return; fi
  port=$((20000 + RANDOM % 20000))
  while port_open "$port"; do port=$((port + 1)); done
  echo "$port" | tee "$file"
}

launch() {
  local name=$1
  shift
  # Its own session, so a Ctrl-C in the shell that started it does not reach it; without fd 9,
  # the lock of this script, which it would otherwise hold for as long as it runs.
  setsid "$@" >"$logs/$name.log" 2>&1 </dev/null 9>&- &
  echo $! >"$run/$name.pid"
}

kubectl_() { "$bin/kubectl" --kubeconfig "$kubeconfig" "$@"; }
api_ready() { alive kube-apiserver && ready_through "$kubeconfig"; }
ready_through() { [ "$("$bin/kubectl" --kubeconfig "$1" get --raw /readyz 2>/dev/null)" = ok ]; }

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

# A kube-apiserver on etcd ($1: the component's name for its pid, port and log files).
launch_apiserver() {
  local name=$1 port=$2 pki="$kube/pki"
  # Loopback as the advertised address needs the endpoint reconciler off (it errs every 10 s).
  launch "$name" "$bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$(cat "$run/etcd.port")" \
    --bind-address 127.0.0.1 --secure-port "$port" --advertise-address 127.0.0.1 \
    --endpoint-reconciler-type none --authorization-mode Node,RBAC --allow-privileged \
    --client-ca-file "$pki/ca.crt" --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range 10.96.0.0/16 --cert-dir "$pki/generated"
}

# Extra API servers on the same etcd (as in a highly available control plane), each with a
# kubeconfig of its own: a client of one can lose its API server (a test stops and starts it)
# while the cluster and everyone else's clients carry on through the main one.
extra_apiserver() {
  local action=$1 name=$2 component port config
  [[ "$name" =~ ^[a-z0-9-]{1,40}$ ]] || kube_die "apiserver: a name of a-z, 0-9 and -, please"
  component="kube-apiserver-$name"
  config="$kube/apiserver-$name.kubeconfig"
  case "$action" in
    start)
      running || kube_die "the cluster is not running: \`npm run kube -- start\` first"
      if ! alive "$component"; then
        port="$(port_for "$component")"
        launch_apiserver "$component" "$port"
        write_kubeconfig "$kube/pki" "$port" "$config"
        await "$component" "$component" ready_through "$config"
      fi
      echo "$config"
      ;;
    stop) stop_component "$component" ;;
    *) kube_die "usage: apiserver <start|stop> <name>" ;;
  esac
}

stop_extra_apiservers() {
  local pidfile
  for pidfile in "$run"/kube-apiserver-*.pid; do
    [ -e "$pidfile" ] && stop_component "$(basename "$pidfile" .pid)"
  done
  return 0
}

start_all() {
  local pki="$kube/pki" etcd_port peer_port api_port
  make_pki "$pki"
  mkdir -p "$kube/etcd" && chmod 700 "$kube/etcd"
  etcd_port="$(port_for etcd)" && peer_port="$(port_for etcd-peer)"
  launch etcd "$bin/etcd" --name gantry-local --data-dir "$kube/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "gantry-local=http://127.0.0.1:$peer_port" \
    --quota-backend-bytes 1073741824
  await etcd etcd port_open "$etcd_port"

  api_port="$(port_for kube-apiserver)"
  launch_apiserver kube-apiserver "$api_port"
  write_kubeconfig "$pki" "$api_port" "$kubeconfig"
  await kube-apiserver kube-apiserver api_ready

  local common=(--kubeconfig "$kubeconfig" --authentication-kubeconfig "$kubeconfig"
    --authorization-kubeconfig "$kubeconfig" --bind-address 127.0.0.1 --leader-elect=false)
  # The node lifecycle controller marks a node NotReady (and its pods unready) when its lease is
  # 50 s late by default; kwok renews leases from one process that a loaded 2-core machine can stall
  # that long, and a flapped node turned rollouts into timeouts. These nodes are fakes whose health
  # nothing here tests, so they get ten minutes' grace.
  launch kube-controller-manager "$bin/kube-controller-manager" "${common[@]}" --secure-port "$(port_for kube-controller-manager)" \
    --use-service-account-credentials=false --controllers '*,-nodeipam,-cloud-node-lifecycle' \
    --node-monitor-grace-period 10m \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --root-ca-file "$pki/ca.crt" --service-account-private-key-file "$pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16
  # kwok fakes node and pod status but places nothing: the real scheduler does.
  launch kube-scheduler "$bin/kube-scheduler" "${common[@]}" --secure-port "$(port_for kube-scheduler)"
  launch kwok "$bin/kwok" --kubeconfig "$kubeconfig" --config "$bin/kwok-stages.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --server-address "127.0.0.1:$(port_for kwok)"
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
  start | kubectl | apiserver) bin="$(bash "$here/build-cluster.sh")" ;;
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
    stop_extra_apiservers
    stop_all
    ;;
  apiserver)
    mkdir -p "$run" "$logs"
    exec 9>"$kube/.lock" && flock 9
    extra_apiserver "${1:-}" "${2:-}"
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
    echo "usage: npm run kube -- <start|stop|status|kubectl [args]|apiserver <start|stop> <name>>" >&2
    exit 2
    ;;
esac
