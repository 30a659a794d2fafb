#!/usr/bin/env bash
# Builds Argo Workflows' `argo` (CLI and Argo Server) and `workflow-controller` from the Go module
# proxy into a cache outside the repository keyed by Argo's version and Go's. Prints the folder that
# holds the two binaries on standard output; everything else goes to standard error. Beside them,
# crds/ holds the same release's minimal CustomResourceDefinitions (argoproj.io_*.yaml), which
# Argo Server's informers and Argo's controller need in the API server.
#
# They are test peers run on loopback (the interop test and bench/argo-memory), never shipped with or
# linked into Archivist. Nothing of Argo is committed here: the source comes from the module cache.
#
# `cmd/argo` embeds the web UI's build output (ui/dist/app), which the module does not contain, so the
# build runs in a writable copy of the module with an empty placeholder there, as Argo's own Makefile
# does when it builds without the UI.
#
# ARGO_VERSION picks another release (default below). ARCHIVIST_CACHE moves the cache (default:
# ~/.cache/archivist). The first build takes several minutes on two cores; later calls return at once.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib/cache.sh"

module=github.com/argoproj/argo-workflows/v4
version="${ARGO_VERSION:-v4.0.5}"
gover=$(go env GOVERSION)

out="$(cache_root)/argo/$version-$gover"
if [ -x "$out/argo" ] && [ -x "$out/workflow-controller" ] && [ -d "$out/crds" ]; then
  echo "$out"
  exit 0
fi

echo "hack/argo/build.sh: building argo and workflow-controller $version with $gover into $out (several minutes the first time)" >&2
# The module's source, verified against the checksum database like any module download.
dir=$(cd / && GOFLAGS=-mod=mod go mod download -json "$module@$version" | jq -r '.Dir // empty')
[ -n "$dir" ] && [ -d "$dir" ] || { echo "hack/argo/build.sh: go mod download $module@$version gave no source folder" >&2; exit 1; }

src="$out.src"
rm -rf "$src"
start_build "$out"
cp -r "$dir" "$src"
chmod -R u+w "$src"
mkdir -p "$src/ui/dist/app"
touch "$src/ui/dist/app/placeholder"

(
  cd "$src"
  # The same version stamps as Argo's Makefile sets, so `argo version` and the server's /api/v1/version
  # name the release. Static, no VCS stamping: the build is the same wherever it runs.
  CGO_ENABLED=0 go build -trimpath -buildvcs=false -mod=mod -o "$out.tmp/" \
    -ldflags "-s -w -X $module.version=$version -X $module.gitTag=$version -X $module.gitTreeState=clean" \
    ./cmd/argo ./cmd/workflow-controller
) >&2
mkdir -p "$out.tmp/crds"
cp "$src"/manifests/base/crds/minimal/argoproj.io_*.yaml "$out.tmp/crds/"
rm -rf "$src"
finish_build "$out"
echo "$out"
