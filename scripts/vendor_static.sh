#!/usr/bin/env bash
# Copy the front-end packages pinned in package.json/package-lock.json into
# marketplace/static/vendor, so pages load nothing from the internet.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
dest=marketplace/static/vendor
rm -rf "$dest" && mkdir -p "$dest"/{bootstrap,htmx,chartjs}
cp node_modules/bootstrap/dist/css/bootstrap.min.css{,.map} "$dest/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js{,.map} "$dest/bootstrap/"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx/"
cp node_modules/chart.js/dist/chart.umd.min.js{,.map} "$dest/chartjs/"
cp node_modules/bootstrap/LICENSE "$dest/bootstrap/LICENSE"
cp node_modules/htmx.org/LICENSE "$dest/htmx/LICENSE"
cp node_modules/chart.js/LICENSE.md "$dest/chartjs/LICENSE.md"
touch "$dest/.stamp"
