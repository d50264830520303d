#!/usr/bin/env bash
# Does retention hold up sending? The fanout benchmark (1,000 members, 250 msg/s) against a
# SQLite store that also holds a big room of messages 60 days old, twice in one sitting:
# once without retention, once with `--retain-days 30`, whose first pass removes that room
# (500 entries per transaction) while the fanout runs. Compare the two p99s and the CPU per
# delivery. Usage: bash scripts/bench-retention.sh [OLD_MESSAGES] (default 300000). Needs the
# release build (`cargo build --release -p backend -p loadgen`). Not part of the tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

old="${1:-300000}"
work="$(mktemp -d /tmp/chat-bench-retention.XXXXXX)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
backend=target/release/backend

# A room whose every message was sent 60 days ago, as an export file.
sent_at=$(( ($(date +%s) - 60 * 86400) * 1000 ))
{
  echo '{"type":"room","name":"archive"}'
  awk -v n="$old" -v at="$sent_at" 'BEGIN {
    for (seq = 1; seq <= n; seq++)
      printf "{\"type\":\"message\",\"room\":\"archive\",\"seq\":%d,\"id\":\"a%d\",\"client_id\":\"c%d\",\"author\":\"alice\",\"body\":\"an old message number %d\",\"sent_at\":%d}\n", seq, seq, seq, seq, at
  }'
} > "$work/archive.jsonl"
mkdir -p "$work/plain" "$work/retained"
"$backend" --database-url "sqlite://$work/plain/chat.db" import "$work/archive.jsonl"
cp "$work/plain/chat.db" "$work/retained/chat.db"

run() {
  local name="$1"; shift
  local port=18555
  "$backend" --addr "127.0.0.1:$port" --database-url "sqlite://$work/$name/chat.db" \
    --static-dir /nonexistent --messages-per-second 1000000 --message-burst 1000000 \
    --requests-per-second 1000000 --request-burst 1000000 \
    --max-connections-per-address 1000000 "$@" > "$work/$name.log" 2>&1 &
  server=$!
  sleep 1
  printf '\n== %s\n' "$name"
  target/release/loadgen --attach "127.0.0.1:$port" --attach-pid "$server" \
    --out "target/loadgen/retention-$name.json" \
    fanout --members 1000 --rates 250 --senders 10 --duration-s 10
  kill -INT "$server"; wait "$server" || true
  grep -h "retention removed" "$work/$name.log" || true
  # Where the archive starts now: how much of it the pass removed while the fanout ran.
  printf 'archive after the run: '
  ("$backend" --database-url "sqlite://$work/$name/chat.db" export || true) | head -n 1
}

run plain
run retained --retain-days 30
