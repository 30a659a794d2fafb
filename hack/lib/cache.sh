# Sourced by the hack/*/build.sh scripts, each of which builds Go binaries once into a cache
# outside the repository, in a folder keyed by the versions it builds, and prints where they are.
# A build writes into OUT.tmp, which replaces OUT only once it is complete: OUT is never half-built.

# The cache's root folder: ARCHIVIST_CACHE, default ~/.cache/archivist.
cache_root() {
  echo "${ARCHIVIST_CACHE:-$HOME/.cache/archivist}"
}

# go_mod_version GO_MOD MODULE: the version GO_MOD requires of MODULE; nothing when it names none.
go_mod_version() {
  awk -v m="$2" '{ for (i = 1; i < NF; i++) if ($i == m && $(i+1) ~ /^v/) { print $(i+1); exit } }' "$1"
}

# start_build OUT: an empty OUT.tmp for the build to write into.
start_build() {
  rm -rf "$1.tmp"
  mkdir -p "$1.tmp"
}

# finish_build OUT: the complete OUT.tmp becomes OUT.
finish_build() {
  rm -rf "$1"
  mv "$1.tmp" "$1"
}
