#!/usr/bin/env bash
# Install what the tests need (Debian's Chromium, Python deps in .venv) and run lint + tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Debian's chromium: sudo apt-get install -y chromium" >&2
    exit 1
  fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e ".[test]"
# The JavaScript/TypeScript clients the snippet fidelity tests run (openai, typescript).
if command -v npm >/dev/null 2>&1; then
  npm ci --prefix tests/fixtures/node --no-audit --no-fund --loglevel=error
elif [ -n "${CI:-}" ]; then
  echo "The snippet tests need node and npm (node 20)." >&2
  exit 1
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/pytest "$@"
