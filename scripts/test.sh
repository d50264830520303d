#!/usr/bin/env bash
# Runs every test: formatting and lints, unit and integration tests, browser tests in headless
# Chromium, and end-to-end tests of the release page against the real server. PostgreSQL and
# Redis must answer on this machine (scripts/services.sh starts them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup-tests.sh
source scripts/services.sh

step() { printf '\n==> %s\n' "$*"; }

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown --all-targets -- -D warnings
# The fuzz targets' entry point (cargo-fuzz builds it with this feature): kept compiling.
cargo check -p backend --features fuzzing

step "unit and integration tests (common, backend against the real server, frontend logic)"
cargo test --workspace

step "the same integration tests with PostgreSQL as the store"
CHAT_TEST_DATABASE=postgres cargo test -p backend --test api

step "browser tests (frontend components in headless Chromium)"
CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome frontend

step "end-to-end tests (release page, real server, two Chromium sessions)"
trunk build --release
cargo test -p backend --test e2e -- --include-ignored

step "all tests passed"
