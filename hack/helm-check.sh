#!/usr/bin/env bash
# Checks the Helm chart (deploy/helm/archivist) in CI:
#   1. helm lint --strict, with each of the chart's ci/*-values.yaml;
#   2. the chart refuses what it must refuse (no database URL, a grace period not longer than the
#      shutdown drain, an unknown flag), each with its message;
#   3. deploy/manifests/ and the golden rendering are what the chart renders now
#      (hack/render-manifests.sh --check);
#   4. a real API server (hack/kube-up.sh, in a state folder of its own) accepts every object:
#      deploy/manifests/archivist.yaml applied for real, then read back object by object; the
#      golden namespaced rendering through a server-side dry run (admission and validation).
#      The namespace enforces the restricted Pod Security Standard, and the Deployment must
#      draw no warning from it.
#      The ServiceMonitor and PrometheusRule need the Prometheus Operator's CRDs, which the test
#      bed does not have: only the dashboard ConfigMap of deploy/manifests/monitoring.yaml is
#      applied.
# The RBAC rules are compared with deploy/rbac.yaml by app's ChartRbacTest, on the same files.
#
# HELM names the helm binary (default: hack/helm/build.sh); ARCHIVIST_TEST_KUBE_BIN the folder of
# kube-apiserver, kubectl and etcd (default: hack/kube/build.sh's).
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "helm-check: $*" >&2; }
fail() { echo "helm-check: FAILED: $*" >&2; exit 1; }
chart=deploy/helm/archivist
helm=${HELM:-$(hack/helm/build.sh)}
export HELM=$helm
log "$("$helm" version --short 2>/dev/null || echo helm)"

# 1. lint
for values in "$chart"/ci/*-values.yaml; do
  "$helm" lint --strict "$chart" -f "$values" >/dev/null || { "$helm" lint --strict "$chart" -f "$values"; fail "helm lint with $values"; }
done
log "helm lint --strict: clean with $(ls "$chart"/ci/*-values.yaml | wc -l) values files"

# 2. what the chart refuses
refuses() {
  local why=$1 expected=$2; shift 2
  local out
  if out=$("$helm" template archivist "$chart" -n archivist "$@" 2>&1); then
    fail "the chart rendered with $why"
  fi
  grep -qF "$expected" <<<"$out" || fail "with $why the chart said '$out', not '$expected'"
}
refuses "no database.url" "database.url is required"
refuses "a grace period equal to the drain" "must be longer than shutdownTimeoutSeconds" \
  -f "$chart/ci/default-values.yaml" --set shutdownTimeoutSeconds=60,terminationGracePeriodSeconds=60
refuses "a misspelt flag" "archive-qsp" -f "$chart/ci/default-values.yaml" --set flags.archive-qsp=5
refuses "a non-JDBC database URL" "/database/url" --set database.url=postgres://db/argo
log "the chart refuses a missing database URL, a grace period not above the drain, an unknown flag, a non-JDBC URL"

# 3. committed renderings are current
hack/render-manifests.sh --check

# 4. a real API server accepts the objects
bin=${ARCHIVIST_TEST_KUBE_BIN:-$(hack/kube/build.sh)}
state=$(pwd)/target/kube-helm-check
cleanup() { ARCHIVIST_KUBE_DIR="$state" hack/kube-down.sh --purge >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup
# Free loopback ports, so as not to meet a developer's server or the tests' (etcd takes port+1).
read -r api_port etcd_port < <(python3 -c '
import socket
def free(n):
    while True:
        s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close()
        t = socket.socket()
        try:
            t.bind(("127.0.0.1", p + n)); t.close(); return p
        except OSError:
            t.close()
print(free(0), free(1))')
ARCHIVIST_KUBE_BIN="$bin" ARCHIVIST_KUBE_DIR="$state" ARCHIVIST_KUBE_API_PORT=$api_port \
  ARCHIVIST_KUBE_ETCD_PORT=$etcd_port hack/kube-up.sh >/dev/null
export KUBECONFIG="$state/kubeconfig"
kubectl=("$bin/kubectl" --kubeconfig "$KUBECONFIG")
"${kubectl[@]}" create namespace archivist >/dev/null
"${kubectl[@]}" create namespace argo >/dev/null
"${kubectl[@]}" create namespace team-a >/dev/null

# The restricted Pod Security Standard, enforced on pods and warned about on workloads. A bare
# pod shows that the admission is on (it must be refused); the chart's Deployment must not warn.
"${kubectl[@]}" label namespace archivist pod-security.kubernetes.io/enforce=restricted \
  pod-security.kubernetes.io/warn=restricted >/dev/null
if "${kubectl[@]}" -n archivist run pss-probe --image=busybox --dry-run=server >/dev/null 2>&1; then
  fail "the test bed does not enforce Pod Security: a pod with no securityContext was admitted"
fi

manifests=deploy/manifests/archivist.yaml
applied=$("${kubectl[@]}" apply --server-side --field-manager=helm-check -f "$manifests" 2>&1) \
  || { echo "$applied" >&2; fail "the API server refused objects of $manifests"; }
echo "$applied" >&2
if grep -qi "violate PodSecurity" <<<"$applied"; then
  fail "the Deployment of $manifests does not meet the restricted Pod Security Standard"
fi
log "the Deployment meets the restricted Pod Security Standard (enforced on its namespace)"
expected=$(grep -c '^kind: ' "$manifests")
got=$("${kubectl[@]}" get -f "$manifests" -o name | wc -l)
[ "$got" -eq "$expected" ] || fail "$expected objects in $manifests, $got on the server"
log "the API server accepted and holds all $got objects of $manifests"

monitoring=$(mktemp); trap 'rm -f "$monitoring"; cleanup' EXIT
python3 - deploy/manifests/monitoring.yaml "$monitoring" <<'PY'
import sys
docs = open(sys.argv[1]).read().split("\n---\n")
keep = [d for d in docs if "\nkind: ConfigMap\n" in "\n" + d + "\n"]
open(sys.argv[2], "w").write("\n---\n".join(keep) + "\n")
PY
"${kubectl[@]}" apply --server-side --field-manager=helm-check -f "$monitoring" >&2 \
  || fail "the API server refused the dashboard ConfigMap"

golden=hack/helm/golden/namespaced.yaml
namespaced=$(mktemp); trap 'rm -f "$monitoring" "$namespaced"; cleanup' EXIT
python3 - "$golden" "$namespaced" <<'PY'
import sys
docs = open(sys.argv[1]).read().split("\n---\n")
keep = [d for d in docs if "monitoring.coreos.com/" not in d]
open(sys.argv[2], "w").write("\n---\n".join(keep) + "\n")
PY
"${kubectl[@]}" apply --server-side --dry-run=server --field-manager=helm-check -f "$namespaced" >&2 \
  || fail "the API server refused objects of $golden (server-side dry run)"
log "the API server accepts every object of $golden but the Prometheus Operator's (server-side dry run)"
log "OK"
