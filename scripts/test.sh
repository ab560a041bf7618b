#!/usr/bin/env bash
# Install what the tests need (Debian's Chromium, Python deps in .venv) and run lint, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian packages the tests drive: Chromium (browser tests), curl (curl snippets), node and npm
# (fetch and TypeScript snippets), redis-server (the limits in flight shared through Redis),
# espeak-ng (the recordings the turn-detection tests speak).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The tests need these Debian packages: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e ".[test]"
# The JavaScript/TypeScript clients the snippet fidelity tests run (openai, typescript), and
# axe-core, which the browser tests check accessibility (WCAG 2.1 A and AA) with.
npm ci --prefix tests/fixtures/node --no-audit --no-fund --loglevel=error
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy  # strict, over the whole package: [tool.mypy] in pyproject.toml
.venv/bin/lint-imports  # the layers and where Flask may be imported: [tool.importlinter]
.venv/bin/pytest "$@"
