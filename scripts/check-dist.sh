#!/usr/bin/env bash
# Rebuilds dist/ and fails when it differs from what is committed: the runner executes dist/, not src/.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent >/dev/null
if [ -n "$(git status --porcelain -- dist)" ]; then
  echo "dist/ is not current with src/: run 'npm run build' and commit dist/." >&2
  git status --porcelain -- dist >&2
  git --no-pager diff --stat -- dist >&2
  exit 1
fi
echo "dist/ is current."
