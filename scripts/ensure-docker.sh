#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine. When none does and we are root on Debian,
# installs docker.io from Debian and starts dockerd in the background. Idempotent.
set -euo pipefail

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if engine_answers; then
  exit 0
fi

if [ -n "${DOCKER_HOST:-}" ]; then
  echo "No Docker engine answers at DOCKER_HOST=$DOCKER_HOST; this script starts a local engine only when DOCKER_HOST is not set." >&2
  echo "Start the engine DOCKER_HOST points at, or unset DOCKER_HOST." >&2
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "No Docker engine answers and this script can only install one as root on Debian/Ubuntu." >&2
    echo "Start a Docker engine (or set DOCKER_HOST) and run again." >&2
    exit 1
  fi
  echo "Installing Docker engine (docker.io) from Debian..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io >/dev/null
fi

if ! command -v docker >/dev/null 2>&1; then
  echo "dockerd is installed but no docker CLI was found on PATH." >&2
  exit 1
fi

log=${DOCKERD_LOG:-/tmp/dockerd.log}
echo "Starting dockerd (log: $log)..."
nohup dockerd >"$log" 2>&1 &
dockerd_pid=$!

deadline=$((SECONDS + 60))
until engine_answers; do
  if ! kill -0 "$dockerd_pid" 2>/dev/null; then
    echo "dockerd exited while starting; last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  if [ $SECONDS -ge $deadline ]; then
    echo "dockerd did not answer within 60 s; last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "Docker engine $(docker version --format '{{.Server.Version}}') is up."
