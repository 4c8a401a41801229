#!/usr/bin/env bash
# Entry point of the README's two commands (`npm start`, `npm test`), of `npm run dev` and of
# `npm run demo:traffic`.
# Works on a fresh machine: provisions Node 24, installs dependencies when the lockfile changed,
# then hands over to turbo / the launcher.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node24.sh

install_if_needed() {
  # npm writes node_modules/.package-lock.json on every install; when it is older than the
  # lockfile (or missing), the tree is stale.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

cmd="${1:-}"
shift || true
case "$cmd" in
  start)
    install_if_needed
    npx turbo run build --output-logs=errors-only
    exec node scripts/start.ts "$@"
    ;;
  dev)
    install_if_needed
    exec node scripts/start.ts --dev "$@"
    ;;
  test)
    install_if_needed
    # lint, typecheck, unit + integration tests (PGlite) and Playwright (after the web build)
    npx turbo run lint typecheck test --output-logs=errors-only
    ;;
  traffic)
    # demo traffic for a running `npm start`: every demo site imports a fresh feed, until Ctrl-C
    install_if_needed
    exec node server/src/demo/traffic.ts "$@"
    ;;
  *)
    echo "usage: scripts/run.sh start|dev|test|traffic" >&2
    exit 2
    ;;
esac
