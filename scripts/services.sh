#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis this machine runs are answering, starting them if not.
# The multi-node tests need both; the embedded default (SQLite, one process) needs neither.
# Safe to run again and again. Sourced by scripts/test.sh; can be run on its own too.
set -euo pipefail

services_say() { printf '[services] %s\n' "$*" >&2; }
services_as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

wait_for() { # wait_for DESCRIPTION COMMAND...: up to 30 s
  local description="$1"; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  services_say "$description did not come up within 30 s"
  return 1
}

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  services_say "starting PostgreSQL"
  # shellcheck disable=SC2046 # one cluster version directory
  services_as_root pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start
  wait_for "PostgreSQL on 127.0.0.1:5432" pg_isready -q -h 127.0.0.1 -p 5432
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
  services_say "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  wait_for "Redis on 127.0.0.1:6379" sh -c 'redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG'
fi
