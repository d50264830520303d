#!/usr/bin/env bash
# Runs the chat as three nodes on this machine, sharing PostgreSQL (history) and Redis (room
# events, presence, nicknames): http://127.0.0.1:8081/, :8082/ and :8083/. Any of them serves
# the page, and people on different nodes talk as if they were on one. Ctrl-C stops all three.
#
# Installs what is missing (as scripts/run.sh does), starts PostgreSQL and Redis if they are
# down, and creates the database (CHAT_CLUSTER_DATABASE, default `chat_cluster`) if needed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
source scripts/services.sh

database="${CHAT_CLUSTER_DATABASE:-chat_cluster}"
if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $database"
fi

trunk build --release
cargo build --release -p backend

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for port in 8081 8082 8083; do
  target/release/backend --addr "127.0.0.1:$port" --static-dir dist \
    --database-url "postgres://postgres@127.0.0.1:5432/$database" \
    --redis-url redis://127.0.0.1:6379 --redis-prefix "$database" &
  pids+=("$!")
done
printf '\n  Three nodes: http://127.0.0.1:8081/  http://127.0.0.1:8082/  http://127.0.0.1:8083/\n'
printf '  (GET /readyz on each says whether it reaches PostgreSQL and Redis; Ctrl-C stops them.)\n\n'
wait
