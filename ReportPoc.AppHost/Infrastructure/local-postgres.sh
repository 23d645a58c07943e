#!/usr/bin/env bash
# A private PostgreSQL server for ReportPoc's local mode (no container runtime): a fresh data directory for each
# AppHost run (kept across restarts of this resource, so a crashed or stopped server comes back with its data),
# trust authentication on loopback only, the application database created, then the server in the foreground
# (exec) so that the Aspire orchestrator owns the process and stopping the AppHost stops it.
# Inputs (environment): PGBIN, PGDATA, PGPORT (allocated by Aspire), PGDATABASE.
set -euo pipefail
: "${PGBIN:?}" "${PGDATA:?}" "${PGPORT:?}" "${PGDATABASE:?}"

# PostgreSQL refuses to run as root; as root, drop to the 'postgres' account the Debian package creates.
as_server_user=()
if [ "$(id -u)" -eq 0 ]; then
  as_server_user=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi

if [ ! -f "$PGDATA/PG_VERSION" ]; then
  rm -rf "$PGDATA"
  mkdir -p "$PGDATA"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PGDATA"; fi
  chmod 700 "$PGDATA"
  "${as_server_user[@]}" "$PGBIN/initdb" --pgdata="$PGDATA" --username=postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 --no-sync >/dev/null
  echo "CREATE DATABASE \"$PGDATABASE\";" | "${as_server_user[@]}" "$PGBIN/postgres" --single -D "$PGDATA" postgres >/dev/null
  echo "local-postgres: new data directory $PGDATA with database '$PGDATABASE'"
else
  echo "local-postgres: restarting on existing data in $PGDATA"
fi
echo "local-postgres: listening on 127.0.0.1:$PGPORT"

# Throwaway dev data, so no fsync: the data survives a crash of the server process (the chaos drill's kill -9), not of
# the machine. Commits stay synchronous: the LPRUN claim relies on a committed row being there after a restart.
# max_connections covers several replicas' pools.
exec "${as_server_user[@]}" "$PGBIN/postgres" -D "$PGDATA" -h 127.0.0.1 -p "$PGPORT" -k "$PGDATA" \
  -c fsync=off -c full_page_writes=off -c max_connections=300
