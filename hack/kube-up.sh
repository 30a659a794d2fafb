#!/usr/bin/env bash
# Starts a real Kubernetes API server on loopback for trying Archivist and for its tests: etcd and
# kube-apiserver (built by hack/kube/build.sh on first use), RBAC authorization, service-account
# tokens, an admin client certificate, and the Argo Workflow CRD. Writes the admin kubeconfig and
# prints the line that exports it; everything else goes to standard error.
#
# Idempotent: what is already running is kept; what is not (say, an API server that was killed)
# is started again with the same ports, keys and etcd data. hack/kube-down.sh stops both.
#
# Settings (environment):
#   ARCHIVIST_KUBE_DIR        state folder: keys, etcd data, logs, pids, kubeconfig
#                             (default: target/kube in the repository)
#   ARCHIVIST_KUBE_BIN        folder with kube-apiserver, kubectl and etcd (default: build them)
#   ARCHIVIST_KUBE_API_PORT   the API server's HTTPS port (default 16443)
#   ARCHIVIST_KUBE_ETCD_PORT  etcd's client port (default 12379); etcd also takes the next port
#                             for its peer listener (ARCHIVIST_KUBE_ETCD_PEER_PORT)
#   ARCHIVIST_KUBE_ETCD_COMPACTION_INTERVAL
#                             how often the API server compacts etcd (default 5m, as upstream;
#                             0 turns it off so a test can compact when it wants)
#   ARCHIVIST_KUBE_WATCH_CACHE
#                             true (default, as upstream) serves watches from the API server's
#                             cache; false sends them to etcd, where a watch resumed from a
#                             compacted revision gets 410 Gone at once (the tests use false)
#   ARCHIVIST_KUBE_AUDIT      true writes an audit log (audit.log in the state folder): one JSON
#                             line per request on workflows and leases, with the verb, the URI
#                             (limit, continue, selectors), the user and the answer's code; the
#                             tests use it to see what the controller asked (default false)
# The ports are kept in the state folder: a later call reuses them, whatever the environment says,
# until hack/kube-down.sh --purge removes the folder.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${ARCHIVIST_KUBE_DIR:-$root/target/kube}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

log() { echo "kube-up: $*" >&2; }
die() { log "$*"; exit 1; }

bin="${ARCHIVIST_KUBE_BIN:-}"
if [ -z "$bin" ]; then
  bin="$("$root/hack/kube/build.sh")"
fi
for b in etcd kube-apiserver kubectl; do
  [ -x "$bin/$b" ] || die "$bin/$b is missing or not executable (ARCHIVIST_KUBE_BIN or hack/kube/build.sh)"
done

# --- ports: chosen once per state folder --------------------------------------------------------
if [ -s "$dir/ports.env" ]; then
  # shellcheck source=/dev/null
  . "$dir/ports.env"
else
  api_port="${ARCHIVIST_KUBE_API_PORT:-16443}"
  etcd_port="${ARCHIVIST_KUBE_ETCD_PORT:-12379}"
  etcd_peer_port="${ARCHIVIST_KUBE_ETCD_PEER_PORT:-$((etcd_port + 1))}"
  for p in "$api_port" "$etcd_port" "$etcd_peer_port"; do
    [[ "$p" =~ ^[0-9]+$ ]] && [ "$p" -ge 1 ] && [ "$p" -le 65535 ] || die "a port must be 1..65535, got '$p'"
  done
  printf 'api_port=%s\netcd_port=%s\netcd_peer_port=%s\n' "$api_port" "$etcd_port" "$etcd_peer_port" > "$dir/ports.env"
fi
compaction="${ARCHIVIST_KUBE_ETCD_COMPACTION_INTERVAL:-5m}"
watch_cache="${ARCHIVIST_KUBE_WATCH_CACHE:-true}"
[[ "$watch_cache" =~ ^(true|false)$ ]] || die "ARCHIVIST_KUBE_WATCH_CACHE must be true or false, got '$watch_cache'"
audit="${ARCHIVIST_KUBE_AUDIT:-false}"
[[ "$audit" =~ ^(true|false)$ ]] || die "ARCHIVIST_KUBE_AUDIT must be true or false, got '$audit'"

# running NAME: true when NAME.pid names a live process of that binary (not a reused pid, not a
# zombie, whose command line is empty).
running() {
  local pid
  pid="$(cat "$dir/$1.pid" 2>/dev/null)" || return 1
  [ -n "$pid" ] && tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" | grep -q "/$1 "
}
# alive NAME: true while the process NAME.pid names exists and is not a zombie. Unlike running,
# it holds from the fork on, before the binary's exec replaces the shell's command line.
alive() {
  local pid state
  pid="$(cat "$dir/$1.pid" 2>/dev/null)" || return 1
  state="$(awk '{print $3}' 2>/dev/null < "/proc/$pid/stat")" || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# start NAME ARGS...: in its own session, detached from this shell's output, logging to NAME.log.
start() {
  local name="$1"; shift
  setsid "$bin/$name" "$@" >>"$dir/$name.log" 2>&1 < /dev/null &
  echo $! > "$dir/$name.pid"
}
# wait_for WHAT SECONDS NAME COMMAND...: polls COMMAND until it succeeds; fails if NAME died.
wait_for() {
  local what="$1" seconds="$2" name="$3"; shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    alive "$name" || die "$name exited while starting; the end of $dir/$name.log:$(echo; tail -n 20 "$dir/$name.log")"
    [ "$SECONDS" -lt "$deadline" ] || die "$what not ready after ${seconds}s; see $dir/$name.log"
    sleep 0.5
  done
}

"$root/hack/kube/pki.sh" "$dir/pki"
pki="$dir/pki"

# --- etcd -----------------------------------------------------------------------------------------
if ! running etcd; then
  port_open "$etcd_port" && die "port $etcd_port (etcd) is taken by another process; set ARCHIVIST_KUBE_ETCD_PORT or ARCHIVIST_KUBE_DIR"
  log "starting etcd on 127.0.0.1:$etcd_port"
  # One member, plain HTTP on loopback only. No fsync: the data is a throwaway test bed. The
  # space quota is raised from 2 GiB to 8 GiB: benchmarks write and delete workflows of 64 KiB by
  # the ten thousand, and the file keeps the pages that compaction frees, so a state folder that
  # serves run after run reached 2 GiB and refused every write ("database space exceeded").
  start etcd \
    --name=archivist-test \
    --data-dir="$dir/etcd" \
    --listen-client-urls="http://127.0.0.1:$etcd_port" \
    --advertise-client-urls="http://127.0.0.1:$etcd_port" \
    --listen-peer-urls="http://127.0.0.1:$etcd_peer_port" \
    --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer_port" \
    --initial-cluster="archivist-test=http://127.0.0.1:$etcd_peer_port" \
    --unsafe-no-fsync \
    --quota-backend-bytes=8589934592 \
    --log-level=warn
  wait_for "etcd" 30 etcd port_open "$etcd_port"
fi

# --- kubeconfig (admin, system:masters) ---------------------------------------------------------
b64() { base64 -w0 < "$1"; }
kubeconfig="$dir/kubeconfig"
umask 077
cat > "$kubeconfig.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: archivist-test
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority-data: $(b64 "$pki/ca.crt")
users:
- name: archivist-admin
  user:
    client-certificate-data: $(b64 "$pki/admin.crt")
    client-key-data: $(b64 "$pki/admin.key")
contexts:
- name: archivist-test
  context:
    cluster: archivist-test
    user: archivist-admin
    namespace: default
current-context: archivist-test
EOF
mv "$kubeconfig.tmp" "$kubeconfig"
umask 022
kubectl() { "$bin/kubectl" --kubeconfig "$kubeconfig" "$@"; }

# --- kube-apiserver -------------------------------------------------------------------------------
if ! running kube-apiserver; then
  port_open "$api_port" && die "port $api_port (API server) is taken by another process; set ARCHIVIST_KUBE_API_PORT or ARCHIVIST_KUBE_DIR"
  log "starting kube-apiserver on https://127.0.0.1:$api_port"
  audit_flags=()
  if $audit; then
    # Metadata level: who asked what (the URI carries limit, continue and selectors), no bodies.
    cat > "$dir/audit-policy.yaml" <<'EOF'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    resources:
      - group: argoproj.io
        resources: [workflows]
      - group: coordination.k8s.io
        resources: [leases]
  - level: None
EOF
    audit_flags=(--audit-policy-file="$dir/audit-policy.yaml" --audit-log-path="$dir/audit.log"
      --audit-log-format=json --audit-log-mode=blocking)
  fi
  # Loopback only; clients authenticate with certificates from our CA or with service-account
  # tokens, which this server signs (TokenRequest, so `kubectl create token` works) and verifies.
  # RBAC alone authorizes: there are no nodes. The service range is required but unused, and
  # there is no endpoint to reconcile for the `kubernetes` Service (a loopback address may not
  # be one).
  start kube-apiserver \
    --bind-address=127.0.0.1 \
    --advertise-address=127.0.0.1 \
    --secure-port="$api_port" \
    --tls-cert-file="$pki/apiserver.crt" \
    --tls-private-key-file="$pki/apiserver.key" \
    --client-ca-file="$pki/ca.crt" \
    --authorization-mode=RBAC \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-signing-key-file="$pki/sa.key" \
    --service-account-key-file="$pki/sa.pub" \
    --service-cluster-ip-range=10.96.0.0/24 \
    --endpoint-reconciler-type=none \
    --etcd-servers="http://127.0.0.1:$etcd_port" \
    --etcd-compaction-interval="$compaction" \
    --watch-cache="$watch_cache" \
    --cert-dir="$dir/apiserver" \
    "${audit_flags[@]}"
  wait_for "kube-apiserver" 180 kube-apiserver kubectl get --raw /readyz
fi

# --- the Argo Workflow CRD ------------------------------------------------------------------------
kubectl apply -f "$root/hack/kube/workflow-crd.yaml" >/dev/null
kubectl wait --for=condition=Established --timeout=60s crd/workflows.argoproj.io >/dev/null

log "ready: etcd 127.0.0.1:$etcd_port, kube-apiserver https://127.0.0.1:$api_port (logs in $dir)"
echo "export KUBECONFIG=$kubeconfig"
