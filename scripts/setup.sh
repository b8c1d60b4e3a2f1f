#!/usr/bin/env bash
# One-time set-up for the test suite on a fresh Debian machine: the Debian packages the interop tests
# use (Apache httpd with mod_auth_digest, curl), then the npm dependencies. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v apache2 >/dev/null 2>&1 || [ -x /usr/sbin/apache2 ] || need+=(apache2)
command -v htdigest >/dev/null 2>&1 || need+=(apache2-utils)
command -v curl >/dev/null 2>&1 || need+=(curl)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    # Keep Debian's maintainer scripts from starting the default site (port 80, all interfaces):
    # policy-rc.d exiting 101 forbids every service start during the install.
    rc=0
    if [ -x /usr/sbin/policy-rc.d ]; then /usr/sbin/policy-rc.d >/dev/null 2>&1 || rc=$?; fi
    if [ "$rc" -ne 101 ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
      chmod 755 /usr/sbin/policy-rc.d
    fi
    echo "setup: installing ${need[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "setup: ${need[*]} missing and not root; the tests that need them will say they skipped"
  fi
fi

npm ci --no-audit --no-fund
