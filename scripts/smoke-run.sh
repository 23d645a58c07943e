#!/usr/bin/env bash
# The README's first command, checked as a person would use it: ./run.sh until it says the system is up (the Api
# healthy), then stopped the way Ctrl+C stops it, with nothing left running. Bounded: fails after 10 minutes.
# .ci/run runs it with an empty home directory. Usage: scripts/smoke-run.sh [LOG]
set -uo pipefail
cd "$(dirname "$0")/.."
log=${1:-$(mktemp -t reportpoc-run.XXXXXX.log)}

started=$SECONDS
setsid ./run.sh >"$log" 2>&1 </dev/null &
group=$!
up=false
while kill -0 "$group" 2>/dev/null && [ $((SECONDS - started)) -lt 600 ]; do
  if grep -q "^ReportPoc is up" "$log"; then up=true; break; fi
  sleep 2
done
took=$((SECONDS - started))

# Ctrl+C's stop: the AppHost stops its resources, then exits. SIGTERM, because a script's background job ignores SIGINT.
kill -TERM -- "-$group" 2>/dev/null
for _ in $(seq 30); do pgrep -g "$group" >/dev/null || break; sleep 1; done
left=$(pgrep -g "$group" | wc -l)
[ "$left" -eq 0 ] || pkill -KILL -g "$group"

if $up && [ "$left" -eq 0 ]; then
  echo "run.sh: the Api was healthy ${took} s after the start; stopped with nothing left running (log: $log)"
  exit 0
fi
$up || { echo "run.sh: no healthy Api after ${took} s; its output:" >&2; tail -n 40 "$log" >&2; }
[ "$left" -eq 0 ] || echo "run.sh: $left processes were still running 30 s after the stop (killed)" >&2
exit 1
