#!/usr/bin/env bash
# Create a self-signed TLS certificate and key for running the nginx proxy locally or in tests.
# Never for production: there, mount a real certificate (see docs/deployment.md).
#
#   scripts/gen-dev-cert.sh [OUT_DIR] [NAME...]
#
# OUT_DIR defaults to nginx/certs (git-ignored); NAMEs (DNS names or IP addresses) default to
# localhost 127.0.0.1 ::1. Writes OUT_DIR/fullchain.pem and OUT_DIR/privkey.pem (mode 600).
# CERT_DAYS sets the validity (default 365).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out_dir=${1:-"$repo_root/nginx/certs"}
if [ "$#" -gt 0 ]; then shift; fi
names=("$@")
if [ "${#names[@]}" -eq 0 ]; then names=(localhost 127.0.0.1 ::1); fi
days=${CERT_DAYS:-365}

san=""
for name in "${names[@]}"; do
    if [[ "$name" =~ ^[0-9.]+$ || "$name" == *:* ]]; then entry="IP:$name"; else entry="DNS:$name"; fi
    san="${san:+$san,}$entry"
done

command -v openssl >/dev/null || { echo "gen-dev-cert: openssl is not installed" >&2; exit 1; }
mkdir -p "$out_dir"
umask 077
openssl req -x509 -nodes -sha256 -days "$days" \
    -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -subj "/CN=${names[0]}/O=Catalyst development" \
    -addext "subjectAltName=$san" \
    -addext "extendedKeyUsage=serverAuth" \
    -keyout "$out_dir/privkey.pem" -out "$out_dir/fullchain.pem" 2>/dev/null
chmod 600 "$out_dir/privkey.pem"
chmod 644 "$out_dir/fullchain.pem"
echo "gen-dev-cert: wrote $out_dir/fullchain.pem and $out_dir/privkey.pem for ${names[*]}"
