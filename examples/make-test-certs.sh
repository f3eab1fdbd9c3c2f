#!/bin/sh
# Makes a throwaway test CA and the certificates the loopback examples and tests use:
#
#   certs/ca.crt, ca.key              the test CA (trust anchor: ca_bundle = "certs/ca.crt")
#   certs/sbc.crt, sbc.key            CN=sbc.example.com, SAN DNS:sbc.example.com,
#                                     EKU serverAuth+clientAuth (Gatehouse's own)
#   certs/um.crt, um.key              CN=SAN=the Exchange UM FQDN (the Microsoft emulator's side)
#   certs/wildcard.crt, wildcard.key  CN=SAN=*.example.com (negative test: Microsoft answers 403)
#   certs/wrong-name.crt, .key        CN=SAN=other.example.com (negative test: name mismatch)
#   certs/expired.crt, expired.key    CN=sbc.example.com, expired in 2020 (negative test)
#   certs/other-ca.crt, other-ca.key  a second CA nobody trusts
#   certs/sbc-other-ca.crt, .key      CN=sbc.example.com signed by other-ca (negative test)
#
# Usage: examples/make-test-certs.sh [FOLDER]   (default: this script's folder; writes FOLDER/certs)
# Idempotent: does nothing when the set is complete and sbc.crt still verifies; FORCE=1 remakes it.
# Never use these outside tests: the keys are unprotected and the CA is public to anyone with the
# folder.
set -eu

UM_FQDN="df6b236d-056d-416a-8f5f-f2e8e1a0238d.um.outlook.com"
DIR="${1:-$(dirname "$0")}/certs"
DAYS=825

command -v openssl >/dev/null 2>&1 || { echo "make-test-certs: openssl not found" >&2; exit 1; }
mkdir -p "$DIR"
cd "$DIR"

ALL="ca sbc um wildcard wrong-name expired other-ca sbc-other-ca"
complete=1
for name in $ALL; do
  [ -s "$name.crt" ] && [ -s "$name.key" ] || complete=0
done
if [ "${FORCE:-0}" != 1 ] && [ "$complete" = 1 ] &&
   openssl verify -CAfile ca.crt sbc.crt um.crt >/dev/null 2>&1; then
  echo "make-test-certs: $DIR is up to date (FORCE=1 to remake)"
  exit 0
fi

umask 077
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null; }

# ca NAME CN
ca() {
  key "$1"
  openssl req -x509 -new -key "$1.key" -sha256 -days 3650 -subj "/O=Gatehouse tests/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" -out "$1.crt"
}

# leaf NAME CN ISSUER: a server+client certificate whose SAN repeats the CN
leaf() {
  key "$1"
  openssl req -new -key "$1.key" -subj "/O=Gatehouse tests/CN=$2" -out "$WORK/$1.csr"
  cat >"$WORK/$1.ext" <<EOF
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = DNS:$2
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
  openssl x509 -req -in "$WORK/$1.csr" -CA "$3.crt" -CAkey "$3.key" -CAcreateserial \
    -CAserial "$WORK/$3.srl" -sha256 -days "$DAYS" -extfile "$WORK/$1.ext" -out "$1.crt" 2>/dev/null
}

# expired NAME CN ISSUER: like leaf, valid only in January 2020 (`openssl ca` can backdate)
expired() {
  key "$1"
  openssl req -new -key "$1.key" -subj "/O=Gatehouse tests/CN=$2" -out "$WORK/$1.csr"
  mkdir -p "$WORK/db"
  : >"$WORK/db/index.txt"
  cat >"$WORK/ca.cnf" <<EOF
[ca]
default_ca = test
[test]
database = $WORK/db/index.txt
new_certs_dir = $WORK/db
serial = $WORK/db/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
x509_extensions = leaf
[any]
organizationName = optional
commonName = supplied
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = DNS:$2
EOF
  openssl rand -hex 16 >"$WORK/db/serial"
  openssl ca -batch -config "$WORK/ca.cnf" -cert "$3.crt" -keyfile "$3.key" \
    -startdate 20200101000000Z -enddate 20200131000000Z -notext \
    -in "$WORK/$1.csr" -out "$1.crt" 2>/dev/null
}

ca ca "Gatehouse Test CA"
leaf sbc sbc.example.com ca
leaf um "$UM_FQDN" ca
leaf wildcard "*.example.com" ca
leaf wrong-name other.example.com ca
expired expired sbc.example.com ca
ca other-ca "Untrusted Test CA"
leaf sbc-other-ca sbc.example.com other-ca

chmod 644 ./*.crt
chmod 600 ./*.key
openssl verify -CAfile ca.crt sbc.crt um.crt wildcard.crt wrong-name.crt >/dev/null
echo "make-test-certs: wrote $ALL into $DIR"
