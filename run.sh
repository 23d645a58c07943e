#!/usr/bin/env bash
# Runs ReportPoc: installs missing prerequisites, then starts the AppHost (dashboard: http://localhost:18888).
set -euo pipefail
cd "$(dirname "$0")"
scripts/prerequisites.sh
exec dotnet run --project ReportPoc.AppHost "$@"
