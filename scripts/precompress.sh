#!/usr/bin/env bash
# Writes a Brotli (quality 11) and a gzip (level 9) copy next to every text and WASM file of a
# release build of the page, which the server sends to browsers that accept them
# (backend/src/transport/page_files.rs): compressed once here, never per request.
#
# Run by Trunk after each build (the post_build hook in Trunk.toml), on its staging folder;
# skipped for `trunk serve`'s debug builds, which Trunk serves itself. Can also be run by hand
# on a folder: `scripts/precompress.sh dist`.
set -euo pipefail

folder="${1:-${TRUNK_STAGING_DIR:?run by Trunk, or give the folder}}"
if [ -z "${1:-}" ] && [ "${TRUNK_PROFILE:-}" != "release" ]; then
  exit 0
fi
command -v brotli >/dev/null || {
  echo "precompress: brotli is missing (scripts/setup.sh installs it)" >&2
  exit 1
}

find "$folder" -type f \( -name '*.html' -o -name '*.js' -o -name '*.css' -o -name '*.wasm' \
  -o -name '*.svg' -o -name '*.json' \) -print0 |
  while IFS= read -r -d '' file; do
    brotli --quality=11 --force --keep "$file"
    gzip -9 --force --keep --no-name "$file"
  done
