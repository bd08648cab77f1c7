#!/usr/bin/env bash
# Benchmark baseline: the hand-written start-up people put in a workflow instead of the action.
# Plain docker CLI, sequential, shell wait loops with fixed sleeps (1 s for sqlcmd, 5 s for curl).
# `docker run -d` pulls an image when it is missing, one after the other, as in a workflow step.
#
#   scripts/bench/baseline.sh up     # network, SQL, wait for sign-in, Octopus, wait for GET /api
#   scripts/bench/baseline.sh down   # remove what `up` made
#
# Settings come from the environment (scripts/bench.mjs sets them):
#   NAME            prefix of the container and network names (required)
#   SQL_IMAGE       SQL Server image              OCTOPUS_IMAGE   Octopus Server image
#   SA_PASSWORD     sa password                   OCTOPUS_PORT    host port for Octopus HTTP (8080 in the container)
#   BENCH_LABEL     key=value label put on everything made here (the bench cleans up by it)
#   OCTOPUS_EXTRA_ENV  space-separated KEY=VALUE pairs for the Octopus container (stand-in delays)
#   MAX_TRIES       tries per wait loop before giving up (default 300)
set -euo pipefail

: "${NAME:?NAME is required}"
SQL="$NAME-sql"
OCTO="$NAME"
NET="$NAME-net"
LABEL_ARGS=()
[ -n "${BENCH_LABEL:-}" ] && LABEL_ARGS=(--label "$BENCH_LABEL")
MAX_TRIES="${MAX_TRIES:-300}"

case "${1:-}" in
  up)
    : "${SQL_IMAGE:?}" "${OCTOPUS_IMAGE:?}" "${SA_PASSWORD:?}" "${OCTOPUS_PORT:?}"
    docker network create "${LABEL_ARGS[@]}" "$NET" >/dev/null

    docker run -d --name "$SQL" --network "$NET" "${LABEL_ARGS[@]}" \
      -e ACCEPT_EULA=Y -e MSSQL_SA_PASSWORD="$SA_PASSWORD" "$SQL_IMAGE" >/dev/null
    tries=0
    until docker exec "$SQL" /opt/mssql-tools18/bin/sqlcmd -C -S localhost -U sa -P "$SA_PASSWORD" -Q "SELECT 1" >/dev/null 2>&1; do
      tries=$((tries + 1))
      [ "$tries" -ge "$MAX_TRIES" ] && { echo "SQL Server did not accept sign-ins" >&2; exit 1; }
      sleep 1
    done
    echo "SQL Server accepts sign-ins"

    extra=()
    for kv in ${OCTOPUS_EXTRA_ENV:-}; do extra+=(-e "$kv"); done
    docker run -d --name "$OCTO" --network "$NET" "${LABEL_ARGS[@]}" -p "127.0.0.1:$OCTOPUS_PORT:8080" \
      -e ACCEPT_EULA=Y \
      -e DB_CONNECTION_STRING="Server=$SQL,1433;Database=Octopus;User Id=sa;Password=$SA_PASSWORD;TrustServerCertificate=True" \
      -e ADMIN_USERNAME=admin -e ADMIN_PASSWORD="$SA_PASSWORD" -e ADMIN_EMAIL=octopus@example.local \
      -e DISABLE_DIND=Y -e ENABLE_USAGE=N "${extra[@]}" "$OCTOPUS_IMAGE" >/dev/null
    tries=0
    until curl -fs "http://localhost:$OCTOPUS_PORT/api" >/dev/null; do
      tries=$((tries + 1))
      [ "$tries" -ge "$MAX_TRIES" ] && { echo "Octopus Server did not answer GET /api" >&2; exit 1; }
      sleep 5
    done
    echo "Octopus Server is ready at http://localhost:$OCTOPUS_PORT"
    ;;
  down)
    docker rm -f "$OCTO" "$SQL" >/dev/null 2>&1 || true
    docker network rm "$NET" >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 up|down" >&2
    exit 2
    ;;
esac
