#!/usr/bin/env bash
# Started by run.sh beside the AppHost: once the Api answers healthy, says where to look and how to stop.
# Gives up quietly when the AppHost (process $1) has exited, and says so after 10 minutes without a healthy Api.
# Usage: scripts/announce-when-up.sh APPHOST_PID
set -uo pipefail
cd "$(dirname "$0")/.."
apphost=$1
dashboard=$(grep -o '"applicationUrl": *"[^"]*"' ReportPoc.AppHost/Properties/launchSettings.json | head -1 | cut -d'"' -f4)
api=$(grep -o '"applicationUrl": *"[^"]*"' ReportPoc.Api/Properties/launchSettings.json | head -1 | cut -d'"' -f4)
if grep -q '"ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS": *"true"' ReportPoc.AppHost/Properties/launchSettings.json; then
  login="no login (anonymous on loopback: see README, \"Who may call the Api\", before exposing it)"
else
  login="log in with the link the Aspire CLI printed above"
fi

started=$SECONDS
until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$api/health" 2>/dev/null)" = 200 ]; do
  kill -0 "$apphost" 2>/dev/null || exit 0
  if [ $((SECONDS - started)) -ge 600 ]; then
    echo "ReportPoc: the Api is not healthy after 10 minutes; the dashboard ($dashboard) shows which resource is stuck." >&2
    exit 1
  fi
  sleep 2
done

cat <<MESSAGE

ReportPoc is up (the Api answered healthy $((SECONDS - started)) s after the build).
  Dashboard      $dashboard   $login
  Report page    $api   (sync vs async, side by side)
  API reference  $api/scalar
  Stop           Ctrl+C stops the AppHost and everything it started.

MESSAGE
