#!/usr/bin/env bash
# One-time set-up for the test suite on a fresh Debian machine: the Debian packages the interop tests
# use (Apache httpd with mod_auth_digest, curl), then the npm dependencies. Safe to run again; leaves
# nothing behind but the packages (the policy-rc.d that keeps Apache from starting is removed again).
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
    # Only for the length of this install: whatever was there before is put back on exit (or removed).
    policy=/usr/sbin/policy-rc.d
    rc=0
    if [ -x "$policy" ]; then "$policy" >/dev/null 2>&1 || rc=$?; fi
    if [ "$rc" -ne 101 ]; then
      saved=""
      if [ -e "$policy" ]; then saved="$(mktemp)"; cp -p "$policy" "$saved"; fi
      restore_policy() {
        if [ -n "$saved" ]; then mv -f "$saved" "$policy"; else rm -f "$policy"; fi
      }
      trap restore_policy EXIT
      printf '#!/bin/sh\nexit 101\n' > "$policy"
      chmod 755 "$policy"
    fi
    echo "setup: installing ${need[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "setup: ${need[*]} missing and not root; the tests that need them will say they skipped"
  fi
fi

npm ci --no-audit --no-fund
