#!/usr/bin/env bash
# Builds the base of Archivist's container image from the build's own JDK, with no registry and no
# Docker daemon: a jlink runtime under /opt/java, the few shared libraries it loads (found with ldd),
# a passwd/group naming uid 65532 "nonroot", and a world-writable /tmp. No shell, no package manager.
#
#   runtime.sh JAVA_HOME OUT
#
# writes OUT/rootfs (the tree) and OUT/base.tar (the same tree as a one-layer image in `docker save`
# format, which jib reads as a tar:// base image). Both the Maven profile `image` (app/pom.xml) and
# the Dockerfile run this script, so the two images carry the same runtime.
#
# The output depends only on the JDK and the system libraries: fixed modes, owners and times.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: runtime.sh JAVA_HOME OUT" >&2; exit 2; }
java_home=$1
out=$2
[ -x "$java_home/bin/jlink" ] || { echo "runtime.sh: no jlink under JAVA_HOME=$java_home (a JDK, not a JRE, is needed)" >&2; exit 1; }
[ -d "$java_home/jmods" ] || { echo "runtime.sh: no jmods under JAVA_HOME=$java_home (install the JDK's jmods)" >&2; exit 1; }

# The modules the application uses (jdeps --print-module-deps over the runtime classpath), plus the
# ones loaded only as services or by name: EC and DNS providers, and the zip file system.
modules=java.base,java.compiler,java.desktop,java.instrument,java.naming,java.net.http,java.rmi
modules=$modules,java.security.jgss,java.sql,jdk.jfr,jdk.management,jdk.net,jdk.unsupported
modules=$modules,jdk.crypto.ec,jdk.naming.dns,jdk.zipfs

# java.desktop is there for java.beans; its AWT, font, image and sound libraries are not, and they
# would drag X11 into the image. Without them, any use of AWT fails with UnsatisfiedLinkError.
unused_libs='libawt.so libawt_headless.so libawt_xawt.so libjawt.so libfontmanager.so libjavajpeg.so
  liblcms.so libmlib_image.so libsplashscreen.so libjsound.so'

root="$out/rootfs"
rm -rf "$out"
mkdir -p "$out"

"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --output "$root/opt/java"
for lib in $unused_libs; do rm -f "$root/opt/java/lib/$lib"; done

# Every shared library the runtime links against, at the path the dynamic loader looks for it.
# libjvm.so is the runtime's own; ldd must be told where it is to resolve the libraries needing it.
export LD_LIBRARY_PATH="$root/opt/java/lib:$root/opt/java/lib/server"
objects=$(find "$root/opt/java/bin" "$root/opt/java/lib" -type f \( -name '*.so' -o -perm -u+x \))
deps=$(for o in $objects; do ldd "$o" 2>/dev/null || true; done \
  | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' \
  | grep -v "^$root" | sort -u)
[ -n "$deps" ] || { echo "runtime.sh: ldd found no system libraries for the runtime" >&2; exit 1; }
missing=$(for o in $objects; do ldd "$o" 2>/dev/null || true; done | awk '/not found/ { print $1 }' | sort -u)
[ -z "$missing" ] || { echo "runtime.sh: libraries not found: $missing" >&2; exit 1; }
for dep in $deps; do
  mkdir -p "$root$(dirname "$dep")"
  cp -L "$dep" "$root$dep"
done

mkdir -p "$root/etc" "$root/tmp" "$root/home/nonroot"
cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
nonroot:x:65532:
GROUP
chmod 1777 "$root/tmp"

# The layer: root owns everything but nonroot's home; times are the epoch, names sorted.
tar_opts=(--format=gnu --sort=name --mtime=@0 --numeric-owner)
(cd "$root" && tar "${tar_opts[@]}" --owner=0 --group=0 --exclude=./home/nonroot -cf "$out/layer.tar" .)
(cd "$root" && tar "${tar_opts[@]}" --owner=65532 --group=65532 -rf "$out/layer.tar" ./home/nonroot)

case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  *) arch=$(uname -m) ;;
esac
diff_id=$(sha256sum "$out/layer.tar" | cut -d' ' -f1)
mkdir -p "$out/base"
mv "$out/layer.tar" "$out/base/layer.tar"
cat > "$out/base/config.json" <<CONFIG
{"architecture":"$arch","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/bin","JAVA_HOME=/opt/java"],"User":"65532:65532","WorkingDir":"/tmp"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"app/src/image/runtime.sh: jlink runtime and its libraries"}]}
CONFIG
echo '[{"Config":"config.json","RepoTags":["archivist-runtime:local"],"Layers":["layer.tar"]}]' > "$out/base/manifest.json"
(cd "$out/base" && tar "${tar_opts[@]}" --owner=0 --group=0 -cf "$out/base.tar" manifest.json config.json layer.tar)
rm -rf "$out/base"
echo "runtime.sh: $(du -sh "$root" | cut -f1) runtime in $root, base image $out/base.tar" >&2
