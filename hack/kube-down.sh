#!/usr/bin/env bash
# Stops the API server and etcd that hack/kube-up.sh started (same ARCHIVIST_KUBE_DIR, default
# target/kube): SIGTERM, then SIGKILL after 15 s. Keeps the state folder (keys, etcd data, logs)
# so that the next kube-up starts where this one stopped; --purge removes it as well.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${ARCHIVIST_KUBE_DIR:-$root/target/kube}"
purge=false
case "${1:-}" in
  "") ;;
  --purge) purge=true ;;
  *) echo "usage: hack/kube-down.sh [--purge]" >&2; exit 2 ;;
esac

log() { echo "kube-down: $*" >&2; }

# stop NAME: ends the process NAME.pid names, if it is still that binary.
stop() {
  local name="$1" pid
  pid="$(cat "$dir/$name.pid" 2>/dev/null)" || return 0
  rm -f "$dir/$name.pid"
  [ -n "$pid" ] || return 0
  tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" | grep -q "/$name " || return 0
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 30); do
    tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" | grep -q "/$name " || return 0
    sleep 0.5
  done
  log "$name (pid $pid) did not stop in 15 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

if [ -d "$dir" ]; then
  stop kube-apiserver
  stop etcd
  if $purge; then
    rm -rf "$dir"
    log "removed $dir"
  fi
fi
log "stopped"
