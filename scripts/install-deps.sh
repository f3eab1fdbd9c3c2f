#!/usr/bin/env bash
# Installs every build and test dependency of Gatehouse from Debian 12 packages.
# Idempotent: when everything is present it returns in about a second without touching apt.
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build pkg-config git
  clang clang-14 libclang-rt-14-dev libfuzzer-14-dev clang-format clang-tidy
  libssl-dev libsrtp2-dev libc-ares-dev libasio-dev libtomlplusplus-dev
  libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
)
# Real peers used by the integration and interop tests.
test_packages=(
  python3 python3-pylibsrtp openssl sip-tester kamailio kamailio-tls-modules
  rtpengine-daemon dnsmasq-base iproute2 procps
)

wanted=("${build_packages[@]}" "${test_packages[@]}")
missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#wanted[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
# Packaged daemons (kamailio, rtpengine) must not start as system services:
# the tests start their own instances on loopback.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  created_policy=1
fi
trap '[ "$created_policy" = 1 ] && $SUDO rm -f "$policy"' EXIT

$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
