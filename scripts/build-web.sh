#!/usr/bin/env bash
# Builds the web app (web/, TypeScript + Vite + Preact) into web/dist, which
# `cocity serve` serves when web_dir (COCITY_WEB_DIR) points at it.
#   - `npm ci` when package-lock.json changed since the last install,
#   - `npm run build` (tsc type check + vite build) when a source is newer
#     than web/dist/index.html.
# Skips both when up to date. Without npm it warns and leaves web/dist as is.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/web"

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "build-web: node/npm not found (Node.js 20.19+ is needed); the web app is not built" >&2
  exit 0
fi
# Vite 7 needs Node.js 20.19 or newer (Debian 12's own nodejs is 18).
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number);
              process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "build-web: Node.js $(node --version) is older than 20.19; the web app is not built" >&2
  exit 0
fi

stamp=node_modules/.cocity-package-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "build-web: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

if [ -f dist/index.html ] &&
   [ -z "$(find src index.html vite.config.ts tsconfig.json package.json package-lock.json \
             -newer dist/index.html -print -quit)" ]; then
  echo "build-web: web/dist is up to date"
  exit 0
fi
echo "build-web: building web/dist"
npm run build --silent
