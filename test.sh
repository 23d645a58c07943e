#!/usr/bin/env bash
# Runs ReportPoc's test suite through the real AppHost: installs missing prerequisites, then `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")"
scripts/prerequisites.sh --with-browser
exec dotnet test --project ReportPoc.Tests "$@"
