#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine. When none does and we are root on Debian,
# installs docker.io from Debian and starts dockerd in the background. Idempotent.
set -euo pipefail

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if engine_answers; then
  exit 0
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

deadline=$((SECONDS + 60))
until engine_answers; do
  if [ $SECONDS -ge $deadline ]; then
    echo "dockerd did not answer within 60 s; last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "Docker engine $(docker version --format '{{.Server.Version}}') is up."
