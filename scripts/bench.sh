#!/usr/bin/env bash
# Runs the standard benchmark suite with the load generator (about 8 minutes on 2 cores):
# every scenario at the sizes of the benchmarks issue, each against a fresh release server.
# Tables go to the terminal; the JSON reports (with the machine and commit) to
# target/loadgen/<time>/. docs/BENCHMARKS.md explains the figures. Not part of the tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

trunk build --release
cargo build --release -p backend -p loadgen

out="target/loadgen/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
loadgen() { target/release/loadgen --workers "${LOADGEN_WORKERS:-4}" "$@"; }

loadgen --out "$out/page.json"     page --dist dist
# The page this chat replaced (jQuery 1.9.1 and Bootstrap 3), for comparison.
loadgen --out "$out/page-seed.json" page --dist "$(bash scripts/seed-page.sh | tail -n 1)" --without-service-worker
loadgen --out "$out/idle.json"     idle --connections 19000 --room-size 50 --hold-s 10
loadgen --out "$out/fanout.json"   fanout --members 1000 --rates 50,100,250,500 --senders 10 --duration-s 10
# A quiet big room (bar: p50 < 10 ms, p99 < 30 ms), and one connection sending 500 a second
# (a bot: p99 < 100 ms, nothing lost).
loadgen --out "$out/fanout-quiet.json" fanout --members 1000 --rates 20 --senders 10 --duration-s 10
loadgen --out "$out/fanout-one-sender.json" fanout --members 1000 --rates 500 --senders 1 --duration-s 10
# 1,990 rooms, not 2,000: 20,000 members would be 20,000 sockets in one server process, and
# the open-file cap here is 20,000 including the server's own files.
loadgen --out "$out/rooms.json"    rooms --rooms 1990 --room-size 10 --rate-per-room 1 --duration-s 10
loadgen --out "$out/churn.json"    churn --loops 64 --background-rooms 100 --duration-s 10
loadgen --out "$out/sign-ins.json" sign-ins --members 1000 --rate 250 --senders 10 --duration-s 10 --sign-ins 200
loadgen --out "$out/history.json"  history --messages 1000 --fanout-members 1000 --fanout-rate 250 --duration-s 10

printf '\nReports: %s/\n' "$out"
