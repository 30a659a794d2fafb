#!/usr/bin/env bash
# Checks the container image without a container engine: unpacks the layers of
# app/target/archivist-image.tar into a root file system, then, as uid 65532 in a chroot with its own
# mount and PID namespaces, runs the image's own entrypoint with `--version` and with
# `migrate --db <the test PostgreSQL>`. It also checks that the image has no shell, runs as 65532,
# and that the Dockerfile at the repository root declares the same entrypoint, user, working
# directory and environment.
#
#   hack/image-check.sh            builds the image first when the tarball is missing
#
# Needs root (chroot, unshare, mount), python3 (reads the image's JSON), psql, and the test
# PostgreSQL at ARCHIVIST_TEST_POSTGRES_URL (default: 127.0.0.1:5432, user postgres, database
# archivist_test). The migration goes into a schema of its own, dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "image-check: $*" >&2; }
fail() { echo "image-check: FAILED: $*" >&2; exit 1; }

image=app/target/archivist-image.tar
[ "$(id -u)" -eq 0 ] || fail "needs root for chroot, unshare and mount (running as uid $(id -u))"
if [ ! -f "$image" ]; then
  log "no $image; building it: ./mvnw -B -q -pl app -am -Pimage -DskipTests package"
  ./mvnw -B -q -pl app -am -Pimage -DskipTests package
fi

work=$(mktemp -d -t archivist-image-check.XXXXXX)
root="$work/rootfs"
cleanup() {
  # The namespaces end with the unshare'd process; only the files remain.
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/image" "$root"
tar -xf "$image" -C "$work/image"
read_json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $2" "$1"; }
layers=$(read_json "$work/image/manifest.json" 'print("\n".join(d[0]["Layers"]))')
config=$(read_json "$work/image/manifest.json" 'print(d[0]["Config"])')
for layer in $layers; do
  tar -xf "$work/image/$layer" -C "$root" --numeric-owner --warning=no-unknown-keyword
done
log "unpacked $(echo "$layers" | wc -l) layers ($(du -sh "$root" | cut -f1)) from $image"

cfg="$work/image/$config"
user=$(read_json "$cfg" 'print(d["config"].get("User",""))')
[ "$user" = "65532:65532" ] || fail "the image runs as '$user', not 65532:65532"
for sh in /bin/sh /bin/bash /usr/bin/sh /bin/busybox; do
  [ ! -e "$root$sh" ] || fail "the image holds a shell: $sh"
done
[ "$(stat -c %a "$root/tmp")" = 1777 ] || fail "/tmp in the image is mode $(stat -c %a "$root/tmp"), not 1777"

# The Dockerfile must build the same container: compare what it declares with the image's config.
python3 - "$cfg" Dockerfile <<'PY' || fail "the Dockerfile and the Maven-built image differ (above)"
import json, re, sys
cfg = json.load(open(sys.argv[1]))["config"]
lines = re.sub(r"\\\n", " ", open(sys.argv[2]).read()).splitlines()
final = []
for line in lines:  # the instructions of the last stage
    if re.match(r"\s*FROM\s", line, re.I):
        final = []
    final.append(line.strip())
def instr(name):
    return [l.split(None, 1)[1] for l in final if l.upper().startswith(name + " ")]
problems = []
entry = instr("ENTRYPOINT")
if not entry or json.loads(entry[-1]) != cfg["Entrypoint"]:
    problems.append(f"ENTRYPOINT {entry[-1] if entry else None} != {json.dumps(cfg['Entrypoint'])}")
if (instr("USER") or [None])[-1] != cfg.get("User"):
    problems.append(f"USER {instr('USER')} != {cfg.get('User')}")
if (instr("WORKDIR") or [None])[-1] != cfg.get("WorkingDir"):
    problems.append(f"WORKDIR {instr('WORKDIR')} != {cfg.get('WorkingDir')}")
env = sorted(p for e in instr("ENV") for p in e.split())
if env != sorted(cfg.get("Env", [])):
    problems.append(f"ENV {env} != {sorted(cfg.get('Env', []))}")
for p in problems:
    print("image-check: Dockerfile:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

mapfile -t entrypoint < <(read_json "$cfg" 'print("\n".join(d["config"]["Entrypoint"]))')
workdir=$(read_json "$cfg" 'print(d["config"].get("WorkingDir","/"))')
mapfile -t env < <(read_json "$cfg" 'print("\n".join(d["config"].get("Env",[])))')

# Runs the image's entrypoint with the given arguments as a container runtime would: its own PID
# and mount namespaces, /proc and /dev mounted, the image's user and environment and nothing else.
unshare=$(command -v unshare) mount=$(command -v mount) bash=$(command -v bash)
in_image() {
  mkdir -p "$root/proc" "$root/dev"
  env -i "${env[@]}" "$unshare" --mount --propagation private -- "$bash" -c '
    unshare=$1 mount=$2 root=$3 workdir=$4; shift 4
    "$mount" --rbind /dev "$root/dev" || exit 125
    exec "$unshare" --pid --fork --mount-proc=/proc --root="$root" --wd="$workdir" \
      --setuid 65532 --setgid 65532 -- "$@"' \
    _ "$unshare" "$mount" "$root" "$workdir" "${entrypoint[@]}" "$@"
}

version=$(in_image --version) || fail "archivist --version exited $? in the image"
[[ "$version" == archivist\ * ]] || fail "archivist --version printed '$version'"
log "archivist --version in the image: $version"

export PGOPTIONS="-c client_min_messages=warning"
pg_url=${ARCHIVIST_TEST_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/archivist_test?user=postgres}
schema="image_check_$$"
psql_url=${pg_url#jdbc:}
psql "$psql_url" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null
trap 'psql "$psql_url" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true; cleanup' EXIT
sep='?'; [[ "$pg_url" == *\?* ]] && sep='&'
out=$(in_image migrate --db "$pg_url${sep}currentSchema=$schema") || fail "archivist migrate exited non-zero in the image: $out"
log "archivist migrate in the image: $out"
tables=$(psql "$psql_url" -tAc "SELECT count(*) FROM information_schema.tables WHERE table_schema = '$schema' AND table_name IN ('argo_archived_workflows', 'argo_archived_workflows_labels', 'schema_history')")
[ "$tables" = 3 ] || fail "after migrate, schema $schema holds $tables of Argo's 3 archive tables"
step=$(psql "$psql_url" -tAc "SELECT max(schema_version) FROM $schema.schema_history")
[ "$step" = 68 ] || fail "after migrate, $schema.schema_history reads '$step', not 68"
log "OK: the image runs as 65532 with no shell, prints its version, and migrates PostgreSQL (schema_history 68)"
