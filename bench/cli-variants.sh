#!/usr/bin/env bash
# P1 with the bundle's start-up measures taken away one at a time, to show what each buys (bench/cli.md).
# The measures are about undici, so the variants run with MONGODB_INVITATIONS_HTTP=undici.
# Usage: bash bench/cli-variants.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
node scripts/bundle-cli.mjs
node scripts/bundle-cli.mjs --outfile "$out/no-cache.cjs" --no-code-cache
node scripts/bundle-cli.mjs --outfile "$out/no-lazy-http2.cjs" --no-lazy-http2
node scripts/bundle-cli.mjs --outfile "$out/no-liftoff.cjs" --no-liftoff
node scripts/bundle-cli.mjs --outfile "$out/plain.cjs" --no-liftoff --no-code-cache --no-lazy-http2
node bench/cli-p1.mjs --runs "$runs" --no-digest \
  --extra "without code cache=$out/no-cache.cjs?MONGODB_INVITATIONS_HTTP=undici" \
  --extra "without lazy HTTP/2=$out/no-lazy-http2.cjs?MONGODB_INVITATIONS_HTTP=undici" \
  --extra "without --liftoff-only=$out/no-liftoff.cjs?MONGODB_INVITATIONS_HTTP=undici" \
  --extra "none of the three=$out/plain.cjs?MONGODB_INVITATIONS_HTTP=undici"
