#!/usr/bin/env bash
# Builds helm from the Go module proxy, at the version this folder's go.mod pins, into a cache
# outside the repository keyed by that version and the Go toolchain. Prints the path of the helm
# binary on standard output; everything else goes to standard error.
#
# The first build takes a few minutes on two cores; later calls find the cache and return at once.
# ARCHIVIST_CACHE moves the cache (default: ~/.cache/archivist).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib/cache.sh"

helm=$(go_mod_version "$here/go.mod" helm.sh/helm/v4)
gover=$(go env GOVERSION)
[ -n "$helm" ] || { echo "hack/helm/build.sh: go.mod names no helm.sh/helm/v4 version" >&2; exit 1; }

out="$(cache_root)/helm/helm-$helm-$gover"
if [ -x "$out/helm" ]; then
  echo "$out/helm"
  exit 0
fi

echo "hack/helm/build.sh: building helm $helm with $gover into $out (a few minutes the first time)" >&2
start_build "$out"
(
  cd "$here"
  # -trimpath and no VCS stamping: the build is the same wherever the repository is cloned.
  # The version is stamped the way helm's own Makefile does, so `helm version` names it.
  go build -trimpath -buildvcs=false \
    -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$helm" \
    -o "$out.tmp/helm" helm.sh/helm/v4/cmd/helm
) >&2
finish_build "$out"
echo "$out/helm"
