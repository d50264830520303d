#!/usr/bin/env bash
# Installs what the tests need on top of what running the chat needs (scripts/setup.sh):
# wasm-pack, axe-core, Chromium with its driver, and fonts for Chinese and emoji. Skips
# whatever is already there; safe to run again and again.
#
# Sourced by scripts/test.sh; can be run on its own too.
set -euo pipefail

source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/setup.sh"

WASM_PACK_VERSION="0.15.1"
AXE_CORE_VERSION="4.14.1"      # the accessibility checker the end-to-end tests run in Chromium

if ! has_version wasm-pack "wasm-pack $WASM_PACK_VERSION"; then
  say "installing wasm-pack $WASM_PACK_VERSION"
  cargo install --force wasm-pack --version "$WASM_PACK_VERSION"
fi

# The end-to-end tests read axe-core's script from here (CHAT_AXE_JS).
export CHAT_AXE_JS="$TOOLS_DIR/axe-core-$AXE_CORE_VERSION/node_modules/axe-core/axe.min.js"
if [ ! -f "$CHAT_AXE_JS" ]; then
  say "installing axe-core $AXE_CORE_VERSION from npm into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR/axe-core-$AXE_CORE_VERSION"
  npm install --prefix "$TOOLS_DIR/axe-core-$AXE_CORE_VERSION" --no-audit --no-fund --silent \
    "axe-core@$AXE_CORE_VERSION"
fi

# A real Prometheus, for the test that scrapes the server's /metrics with it.
if [ ! -x /usr/bin/prometheus ]; then
  say "installing prometheus from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus
fi

# Chromium, and fonts for Chinese and emoji (the tests and screenshots show both).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] \
  || [ ! -d /usr/share/fonts/opentype/noto ] || [ ! -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]; then
  say "installing chromium, chromedriver and Noto CJK and emoji fonts from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
    fonts-noto-cjk fonts-noto-color-emoji
fi
