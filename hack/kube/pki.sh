#!/usr/bin/env bash
# Writes the keys and certificates of a loopback test API server into the folder given (created
# if missing), with openssl. Files that already exist are kept, so a second call changes nothing.
#
#   ca.crt, ca.key          a self-signed CA, trusted by clients (server) and by the API server
#                           (client certificates)
#   apiserver.crt/.key      the API server's serving certificate, for 127.0.0.1 and localhost
#   admin.crt/.key          a client certificate in group system:masters (the admin kubeconfig)
#   sa.key, sa.pub          the key pair that signs and verifies service-account tokens
#
# Test material only: RSA 2048, valid ten years, keys unencrypted and readable by the owner only.
set -euo pipefail

dir="${1:?usage: hack/kube/pki.sh FOLDER}"
command -v openssl >/dev/null || { echo "hack/kube/pki.sh: openssl is required (Debian: apt-get install openssl)" >&2; exit 1; }
mkdir -p "$dir"
chmod 700 "$dir"
cd "$dir"
umask 077

days=3650

if [ ! -s ca.crt ] || [ ! -s ca.key ]; then
  # A new CA invalidates every certificate signed by the old one.
  rm -f apiserver.crt admin.crt
  openssl req -x509 -new -nodes -newkey rsa:2048 -keyout ca.key -out ca.crt -days "$days" \
    -subj "/CN=archivist-test-ca" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
fi

# issue NAME SUBJECT EXTENSIONS: a key and a certificate signed by the CA.
issue() {
  local name="$1" subject="$2" extensions="$3"
  [ -s "$name.crt" ] && [ -s "$name.key" ] && return 0
  openssl req -new -nodes -newkey rsa:2048 -keyout "$name.key" -out "$name.csr" \
    -subj "$subject" 2>/dev/null
  printf '%s\n' "$extensions" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -CAserial ca.srl \
    -out "$name.crt" -days "$days" -extfile "$name.ext" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

issue apiserver "/CN=kube-apiserver" \
  "$(printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' \
     'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=serverAuth')"
# The API server maps O to groups and CN to the user name: system:masters bypasses RBAC.
issue admin "/O=system:masters/CN=archivist-admin" \
  "$(printf '%s\n' 'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=clientAuth')"

if [ ! -s sa.key ] || [ ! -s sa.pub ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out sa.key 2>/dev/null
  openssl pkey -in sa.key -pubout -out sa.pub
fi
