#!/usr/bin/env bash
# Builds the real kube-apiserver, kubectl and etcd from the Go module proxy, at the versions this
# folder's go.mod pins, into a cache outside the repository keyed by those versions. Prints the
# folder that holds the three binaries on standard output; everything else goes to standard error.
#
# The first build takes several minutes on two cores; later calls find the cache and return at once.
# ARCHIVIST_CACHE moves the cache (default: ~/.cache/archivist).
#
# --cached: build nothing; print the folder if the binaries are there, else exit 3 (the tests use
# this to find the binaries without starting a build of several minutes).
set -euo pipefail
cached_only=false
case "${1:-}" in
  "") ;;
  --cached) cached_only=true ;;
  *) echo "usage: hack/kube/build.sh [--cached]" >&2; exit 2 ;;
esac
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib/cache.sh"

kube=$(go_mod_version "$here/go.mod" k8s.io/kubernetes)
etcd=$(go_mod_version "$here/go.mod" go.etcd.io/etcd/server/v3)
gover=$(go env GOVERSION)
[ -n "$kube" ] && [ -n "$etcd" ] || { echo "hack/kube/build.sh: go.mod names no k8s.io/kubernetes or etcd version" >&2; exit 1; }

out="$(cache_root)/kube/kubernetes-$kube-etcd-$etcd-$gover"
if [ -x "$out/kube-apiserver" ] && [ -x "$out/kubectl" ] && [ -x "$out/etcd" ]; then
  echo "$out"
  exit 0
fi
if $cached_only; then
  echo "hack/kube/build.sh: no binaries in $out yet; hack/kube/build.sh builds them" >&2
  exit 3
fi

echo "hack/kube/build.sh: building kube-apiserver and kubectl $kube and etcd $etcd with $gover into $out (several minutes the first time)" >&2
start_build "$out"
(
  cd "$here"
  # -trimpath and no VCS stamping: the build is the same wherever the repository is cloned.
  go build -trimpath -buildvcs=false -o "$out.tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kubectl \
    go.etcd.io/etcd/server/v3
) >&2
# etcd's main package is the module root, so go names the binary after its last path element.
[ -x "$out.tmp/v3" ] && mv "$out.tmp/v3" "$out.tmp/etcd"
[ -x "$out.tmp/server" ] && mv "$out.tmp/server" "$out.tmp/etcd"
finish_build "$out"
echo "$out"
