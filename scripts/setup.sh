#!/usr/bin/env bash
# Installs what building and testing the chat needs, skipping whatever is already there.
# Safe to run again and again: when everything is installed it only checks versions.
#
# Sourced by scripts/run.sh and scripts/test.sh (it also exports PATH for wasm-opt); can be
# run on its own too. Versions are pinned: see docs/TOOLCHAIN.md for why each one.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"        # 0.22 needs a newer rustc than this machine has
WASM_PACK_VERSION="0.15.1"
BINARYEN_VERSION="123"         # Debian's wasm-opt 108 corrupts wasm-bindgen's externref table
AXE_CORE_VERSION="4.14.1"      # the accessibility checker the end-to-end tests run in Chromium
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

if ! has_version wasm-pack "wasm-pack $WASM_PACK_VERSION"; then
  say "installing wasm-pack $WASM_PACK_VERSION"
  cargo install --force wasm-pack --version "$WASM_PACK_VERSION"
fi

if ! has_version wasm-opt "version $BINARYEN_VERSION"; then
  say "installing wasm-opt (binaryen $BINARYEN_VERSION) from npm into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR/binaryen-$BINARYEN_VERSION"
  npm install --prefix "$TOOLS_DIR/binaryen-$BINARYEN_VERSION" --no-audit --no-fund --silent \
    "binaryen@$BINARYEN_VERSION.0.0"
fi

# The end-to-end tests read axe-core's script from here (CHAT_AXE_JS).
export CHAT_AXE_JS="$TOOLS_DIR/axe-core-$AXE_CORE_VERSION/node_modules/axe-core/axe.min.js"
if [ ! -f "$CHAT_AXE_JS" ]; then
  say "installing axe-core $AXE_CORE_VERSION from npm into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR/axe-core-$AXE_CORE_VERSION"
  npm install --prefix "$TOOLS_DIR/axe-core-$AXE_CORE_VERSION" --no-audit --no-fund --silent \
    "axe-core@$AXE_CORE_VERSION"
fi

# Chromium, and fonts for Chinese and emoji (the tests and screenshots show both).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] \
  || [ ! -d /usr/share/fonts/opentype/noto ] || [ ! -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]; then
  say "installing chromium, chromedriver and Noto CJK and emoji fonts from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
    fonts-noto-cjk fonts-noto-color-emoji
fi
