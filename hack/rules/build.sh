#!/usr/bin/env bash
# Builds rules-check (this folder's main.go, on Prometheus's rule-file parser) at the Prometheus
# version go.mod pins, into a cache outside the repository keyed by that version and the Go
# toolchain. Prints the binary's path on standard output; everything else goes to standard error.
# ARCHIVIST_CACHE moves the cache (default: ~/.cache/archivist).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib/cache.sh"
prom=$(go_mod_version "$here/go.mod" github.com/prometheus/prometheus)
gover=$(go env GOVERSION)
[ -n "$prom" ] || { echo "hack/rules/build.sh: go.mod names no github.com/prometheus/prometheus version" >&2; exit 1; }
sum=$(sha256sum "$here/main.go" | cut -c1-12)
out="$(cache_root)/rules-check/prometheus-$prom-$gover-$sum"
if [ -x "$out/rules-check" ]; then
  echo "$out/rules-check"
  exit 0
fi
echo "hack/rules/build.sh: building rules-check on prometheus $prom with $gover into $out" >&2
start_build "$out"
(cd "$here" && go build -trimpath -buildvcs=false -o "$out.tmp/rules-check" .) >&2
finish_build "$out"
echo "$out/rules-check"
