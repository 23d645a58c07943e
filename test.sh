#!/usr/bin/env bash
# Runs ReportPoc's tests: the fast tier (ReportPoc.UnitTests, seconds) and the scenario tests through the real AppHost
# (ReportPoc.Tests). Installs missing prerequisites first. Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")"
scripts/prerequisites.sh --with-browser
exec dotnet test --solution ReportPoc.sln "$@"
