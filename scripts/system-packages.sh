#!/usr/bin/env bash
# Debian packages the test suite drives for real: Chromium for browser tests, nginx for the proxy,
# pango and the DejaVu fonts for WeasyPrint's PDF reports, poppler's pdftotext to read them back,
# and a C++ toolchain with CMake to compile llama.cpp's server for tests/llama/.
# Installed only when missing; never downloads a browser of its own.
set -euo pipefail
missing=()
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
for package in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
  installed "$package" || missing+=("$package")
done
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v make >/dev/null 2>&1 || missing+=(make)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
