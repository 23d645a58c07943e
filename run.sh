#!/usr/bin/env bash
# Runs ReportPoc: installs missing prerequisites, builds, then starts the AppHost with the dashboard; once the Api is
# healthy it says where to look (scripts/announce-when-up.sh). Arguments go to the AppHost (e.g. Processor:Replicas=2).
set -euo pipefail
cd "$(dirname "$0")"
scripts/prerequisites.sh
echo "Building ReportPoc (a first build restores its packages and takes a few minutes)…"
dotnet build ReportPoc.AppHost -nologo -v minimal
echo "Starting the AppHost…"
scripts/announce-when-up.sh $$ &
exec dotnet run --no-build --project ReportPoc.AppHost "$@"
