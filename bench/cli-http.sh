#!/usr/bin/env bash
# undici or node:http for the CLI (bench/cli.md, "undici or node:http"): P1, the per-process side of P2
# and P2 itself, each with the CLI on both HTTP clients (MONGODB_INVITATIONS_HTTP=node-http / undici),
# the node:http floor, bare `node -e ''` and (P2) `true`, run one after the other in one invocation.
# Each script interleaves its variants round by round. Raw output: stdout (tee it to keep it).
# Usage: bash bench/cli-http.sh [p1 runs] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"
rounds="${2:-3}"
npm run build --silent
echo "## $(date -u +%FT%TZ) node $(node --version), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "### P1: node bench/cli-p1.mjs --runs $runs"
node bench/cli-p1.mjs --runs "$runs"
echo "### per process: node bench/construct-p2-processes.mjs --rounds $rounds"
node bench/construct-p2-processes.mjs --rounds "$rounds"
echo "### P2: node bench/construct-p2.mjs --rounds $rounds"
node bench/construct-p2.mjs --rounds "$rounds"
echo "## done $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
