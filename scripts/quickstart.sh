#!/usr/bin/env bash
# First run on a fresh Debian 12 machine: install dependencies, build the release binary, check
# the example configs, and place the seed call through Gatehouse on loopback (`gatehouse demo`:
# a simulated CUCM -> gatehouse run -> a simulated Exchange UM over mutual TLS and SDES-SRTP).
# Exits with the demo's code: 0 when audio crossed Gatehouse both ways.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target gatehouse
bin=build/release/bin/gatehouse
bash examples/make-test-certs.sh >/dev/null
echo
echo "== gatehouse check: every example config"
for config in examples/*.toml; do
  case "$config" in
    # Written for real hosts (10.0.0.5, /etc/gatehouse certificates): the config and the
    # profile rules only, no certificate files, no binds.
    examples/seed.toml | examples/teams.toml) "$bin" check --offline --config "$config" ;;
    *) "$bin" check --config "$config" ;;
  esac
done
echo
echo "== gatehouse parse: the INVITE a Cisco CUCM sends toward Office 365 (the seed call)"
"$bin" parse examples/sip/cucm-invite.sip
echo
echo "== gatehouse parse: the same INVITE as dumped in the seed, with its unparseable To"
"$bin" parse examples/sip/seed-invite-broken-to.sip || true
echo
echo "== gatehouse demo: the seed call on loopback, Microsoft's rules enforced by the far end"
"$bin" demo
echo
echo "quickstart: done; the binary is $bin (try: $bin demo --break rtcp-mux)"
