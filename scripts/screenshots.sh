#!/usr/bin/env bash
# Regenerates the README's screenshots (docs/screenshots/*.png) from a running ReportPoc with the default LP profile:
# the browser page (both submissions, the board, a field error, phone width) and the dashboard's graph and traces.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prerequisites.sh --with-browser
export REPORTPOC_SCREENSHOTS="$PWD/docs/screenshots" REPORTPOC_LP_PROFILE=default
exec dotnet test --project ReportPoc.Tests --filter-class "*BrowserPageTests" --filter-class "*DashboardTracesTests"
