#!/usr/bin/env bash
# Installs what building and running the chat needs (the wasm32 target, Trunk, wasm-bindgen,
# wasm-split-cli, wasm-opt, brotli), skipping whatever is already there; scripts/setup-tests.sh adds what only the
# tests need. Safe to run again and again: when everything is installed it only checks
# versions.
#
# Sourced by scripts/run.sh (and, through setup-tests.sh, scripts/test.sh; it also exports
# PATH for wasm-opt); can be run on its own too. Versions are pinned: see docs/TOOLCHAIN.md for
# why each one.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"        # 0.22 needs a newer rustc than this machine has
BINARYEN_VERSION="123"         # Debian's wasm-opt 108 corrupts wasm-bindgen's externref table
WASM_SPLIT_VERSION="0.2.4"     # splits the page's WASM (scripts/split-page.sh)
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$repo_root/Cargo.lock")"
TOOLS_DIR="${CHAT_TOOLS_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/chat-tools}"

say() { printf '[setup] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
has_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q -- "$2"; }

export PATH="$HOME/.cargo/bin:$TOOLS_DIR/binaryen-$BINARYEN_VERSION/node_modules/.bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! has_version trunk "trunk $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 6 minutes on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if ! has_version wasm-bindgen "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (the version in Cargo.lock)"
  # No --locked: its lock file pins a TLS-roots crate this registry does not serve.
  cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# The page's build cuts its WASM in two (scripts/split-page.sh): the tool of Leptos's `#[lazy]`.
# Its version must read the split markers of the wasm_split_helpers in Cargo.lock.
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (about 2 minutes on 2 cores)"
  cargo install --force wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
fi

# The release build writes Brotli copies of the page's files (scripts/precompress.sh).
if ! command -v brotli >/dev/null 2>&1; then
  say "installing brotli from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq brotli
fi

if ! has_version wasm-opt "version $BINARYEN_VERSION"; then
  say "installing wasm-opt (binaryen $BINARYEN_VERSION) from npm into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR/binaryen-$BINARYEN_VERSION"
  npm install --prefix "$TOOLS_DIR/binaryen-$BINARYEN_VERSION" --no-audit --no-fund --silent \
    "binaryen@$BINARYEN_VERSION.0.0"
fi
