#!/usr/bin/env bash
# Builds the front-end assets from the pinned npm packages into equitable/static/build.
# Needs Node.js and npm (the npm registry); run by `make demo` and `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=equitable/static/build
if [ ! -d node_modules/govuk-frontend ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
mkdir -p "$out/assets"
npx --no-install sass --no-source-map --quiet-deps --silence-deprecation=import --style=compressed \
  frontend/equitable.scss "$out/equitable.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/govuk-frontend.min.js"
cp node_modules/govuk-frontend/dist/govuk/assets/manifest.json "$out/assets/manifest.json"
echo "assets built in $out"
