#!/usr/bin/env bash
# Installs the real servers the test suite runs against (Debian packages), only those that are missing.
# Idempotent; needs root (or sudo). Services are never started here: the tests start their own on loopback.
set -euo pipefail

packages=(redis-server redis-sentinel nginx caddy chromium python3-aiosmtpd postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-test-deps: need root to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi

# Keep Debian's maintainer scripts from starting nginx/redis/postgresql on their default ports (postgresql-common
# still creates its default cluster; nothing starts it, and the tests run their own with initdb/pg_ctl).
created_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  created_policy=1
fi
trap '[ -n "$created_policy" ] && $SUDO rm -f /usr/sbin/policy-rc.d' EXIT

echo "install-test-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
# One retry: a dpkg step has been seen to fail once part-way on these machines.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
  || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -f --no-install-recommends "${missing[@]}" >/dev/null
