#!/usr/bin/env bash
# Prints the path of a Node.js 24 binary, installing the npm package `node@24` into a cache folder
# when needed: GitHub runs `runs.using: node24` actions on Node 24, so the end-to-end tests run
# dist/ on it too. Prints nothing (exit 1) when it cannot be had.
set -euo pipefail
dir=${NODE24_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/octopus-server-action/node24}
bin="$dir/node_modules/node/bin/node"
if [ ! -x "$bin" ] || ! "$bin" --version 2>/dev/null | grep -q '^v24\.'; then
  mkdir -p "$dir"
  (cd "$dir" && [ -f package.json ] || echo '{"private":true}' >package.json)
  (cd "$dir" && npm install --no-audit --no-fund --silent node@24 >&2) || exit 1
fi
"$bin" --version | grep -q '^v24\.' || exit 1
echo "$bin"
