#!/usr/bin/env bash
# Builds rules-check (this folder's main.go, on Prometheus's rule-file parser) at the Prometheus
# version go.mod pins, into a cache outside the repository keyed by that version and the Go
# toolchain. Prints the binary's path on standard output; everything else goes to standard error.
# ARCHIVIST_CACHE moves the cache (default: ~/.cache/archivist).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
prom=$(awk '{ for (i = 1; i < NF; i++) if ($i == "github.com/prometheus/prometheus" && $(i+1) ~ /^v/) { print $(i+1); exit } }' "$here/go.mod")
gover=$(go env GOVERSION)
[ -n "$prom" ] || { echo "hack/rules/build.sh: go.mod names no github.com/prometheus/prometheus version" >&2; exit 1; }
sum=$(sha256sum "$here/main.go" | cut -c1-12)
out="${ARCHIVIST_CACHE:-$HOME/.cache/archivist}/rules-check/prometheus-$prom-$gover-$sum"
if [ -x "$out/rules-check" ]; then
  echo "$out/rules-check"
  exit 0
fi
echo "hack/rules/build.sh: building rules-check on prometheus $prom with $gover into $out" >&2
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
(cd "$here" && go build -trimpath -buildvcs=false -o "$out.tmp/rules-check" .) >&2
rm -rf "$out"
mv "$out.tmp" "$out"
echo "$out/rules-check"
