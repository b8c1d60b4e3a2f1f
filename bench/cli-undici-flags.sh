#!/usr/bin/env bash
# Which V8 setting removes undici's exit delay (llhttp WebAssembly tier-up)? A bare undici one-shot
# DELETE (bench/cli-undici-oneshot.mjs, bundled like the CLI) under each candidate, in one P1 run.
# Usage: bash bench/cli-undici-flags.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# esbuild's CJS output cannot hold top-level await: bundle as ESM (same module graph, same minify).
npx esbuild bench/cli-undici-oneshot.mjs --bundle --platform=node --target=node20 --format=esm \
  --minify --log-level=warning --outfile="$out/oneshot.mjs" \
  --banner:js="import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);"
o="$out/oneshot.mjs"
node bench/cli-p1.mjs --runs "$runs" --no-digest \
  --extra "undici one-shot=$o" \
  --extra "undici one-shot --liftoff-only=$o?BENCH_V8_FLAGS=--liftoff-only" \
  --extra "undici one-shot --no-wasm-tier-up=$o?BENCH_V8_FLAGS=--no-wasm-tier-up" \
  --extra "undici one-shot --wasm-lazy-compilation=$o?BENCH_V8_FLAGS=--wasm-lazy-compilation" \
  --extra "undici one-shot --no-wasm-dynamic-tiering=$o?BENCH_V8_FLAGS=--no-wasm-dynamic-tiering" \
  --extra "undici one-shot + process.exit()=$o?BENCH_EXIT=1"
