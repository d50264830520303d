#!/usr/bin/env bash
# Runs the chat on its embedded default: installs what is missing, builds the page in release
# mode and the server, then serves both. Set CHAT_ADDR to listen elsewhere.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

addr="${CHAT_ADDR:-127.0.0.1:8080}"
trunk build --release
cargo build --release -p backend
printf '\n  Open http://%s/ in your browser (Ctrl-C stops the server).\n\n' "$addr"
exec target/release/backend --addr "$addr" --static-dir dist
