#!/usr/bin/env bash
# Takes the README's screenshots (light, dark, phone) from the real release page in headless
# Chromium: the end-to-end test that checks accessibility saves them on its way through.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup-tests.sh
trunk build --release
CHAT_SCREENSHOT_DIR="$PWD/docs/screenshots" cargo test -p backend --test e2e -- --include-ignored \
  pleasant_page::axe_finds_no_accessibility_violations_on_sign_in_chat_and_phone
echo "screenshots in docs/screenshots/"
