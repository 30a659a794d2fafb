#!/usr/bin/env bash
# Renders the Helm chart into the files committed beside it:
#   deploy/manifests/archivist.yaml   the chart's defaults (ci/default-values.yaml), namespace archivist
#   deploy/manifests/monitoring.yaml  its ServiceMonitor, PrometheusRule and dashboard ConfigMap
#   hack/helm/golden/namespaced.yaml  ci/namespaced-values.yaml: Roles per namespace, every option on
# and first copies deploy/grafana/archivist.json and deploy/prometheus/alerts.yaml into the chart's
# files/ (a chart cannot read outside its folder).
#
#   hack/render-manifests.sh           write them
#   hack/render-manifests.sh --check   write nothing; fail, showing the diff, if any is not current
#
# HELM names the helm binary (default: hack/helm/build.sh builds or reuses it).
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
[ "${1:-}" = --check ] && check=true
helm=${HELM:-$(hack/helm/build.sh)}
chart=deploy/helm/archivist
out=$(mktemp -d -t archivist-render.XXXXXX)
trap 'rm -rf "$out"' EXIT

mkdir -p "$out/files" "$out/manifests" "$out/golden"
cp deploy/grafana/archivist.json deploy/prometheus/alerts.yaml "$out/files/"

header() {
  echo "# Rendered by hack/render-manifests.sh from $chart with $1; do not edit by hand."
  echo "# CI fails when this file is not what the chart renders."
}
template() {
  # A fixed Kubernetes version, so that the output does not depend on the helm build's default.
  "$helm" template archivist "$chart" --namespace archivist --kube-version 1.33.0 "$@"
}
render() {
  { header "ci/default-values.yaml"; template -f "$chart/ci/default-values.yaml"; } \
    > "$out/manifests/archivist.yaml"
  { header "ci/default-values.yaml and the monitoring objects on"; template -f "$chart/ci/default-values.yaml" \
      --set serviceMonitor.enabled=true,prometheusRule.enabled=true,grafanaDashboard.enabled=true \
      --show-only templates/servicemonitor.yaml --show-only templates/prometheusrule.yaml \
      --show-only templates/grafana-dashboard.yaml; } > "$out/manifests/monitoring.yaml"
  { header "ci/namespaced-values.yaml"; template -f "$chart/ci/namespaced-values.yaml"; } \
    > "$out/golden/namespaced.yaml"
}

if $check; then
  stale=0
  for f in archivist.json alerts.yaml; do
    cmp -s "$out/files/$f" "$chart/files/$f" \
      || { echo "render-manifests: $chart/files/$f is not a copy of the file under deploy/grafana or deploy/prometheus" >&2; stale=1; }
  done
  render
  for pair in "manifests/archivist.yaml deploy/manifests/archivist.yaml" \
              "manifests/monitoring.yaml deploy/manifests/monitoring.yaml" \
              "golden/namespaced.yaml hack/helm/golden/namespaced.yaml"; do
    set -- $pair
    if ! diff -u "$2" "$out/$1" >&2; then
      echo "render-manifests: $2 is not what the chart renders (diff above)" >&2
      stale=1
    fi
  done
  [ $stale -eq 0 ] || { echo "render-manifests: run hack/render-manifests.sh and commit the result" >&2; exit 1; }
  echo "render-manifests: deploy/manifests, the golden rendering and the chart's files are current" >&2
else
  cp "$out/files/"* "$chart/files/"
  render
  cp "$out/manifests/"* deploy/manifests/
  cp "$out/golden/"* hack/helm/golden/
  echo "render-manifests: wrote deploy/manifests/archivist.yaml, deploy/manifests/monitoring.yaml, hack/helm/golden/namespaced.yaml" >&2
fi
