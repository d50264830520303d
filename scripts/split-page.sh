#!/usr/bin/env bash
# Splits the page's WASM in two: the sign-in form and everything the app needs from the start
# in the first module; the chat (its screen, reading what the server sends, the offline
# copies) in a second one that the page fetches when the visitor starts to sign in
# (`chat_screen` in frontend/src/components/app.rs and `chat_module_here` in
# frontend/src/controller/chat_module.rs, both marked `wasm_split(chat_screen, ...)`, what
# Leptos's `#[lazy]` expands to). The sign-in form then waits for the first module only
# (docs/BENCHMARKS.md, "The page's two modules").
#
# Run by Trunk after each build (the first post_build hook in Trunk.toml), before the files
# are precompressed. Trunk 0.21 cannot split a module itself, so this redoes the last steps of
# its Rust pipeline on the module cargo linked (with `--emit-relocs`, .cargo/config.toml):
#   1. wasm-split-cli cuts it at the `wasm_split` functions into a main module, one module per
#      module name and a small loader (`__wasm_split.js`) that fetches and links them;
#   2. wasm-bindgen makes the main module's JS (keeping the exports the loader links to) and
#      wasm-opt shrinks every module, as Trunk does;
#   3. the results replace Trunk's two files under the same names; the chunk and the loader
#      get content-hashed names (cached for a year, like Trunk's, which also keeps them for a
#      reload without a network), and the page's integrity attributes are recomputed.
# The page fetches the chunk itself (not with a `prefetch` link: the browser would fetch it
# beside the first module and delay the form).
set -euo pipefail

staging="${TRUNK_STAGING_DIR:?run by Trunk (the post_build hook in Trunk.toml)}"
source_dir="${TRUNK_SOURCE_DIR:-$(pwd)}"
target_dir="${CARGO_TARGET_DIR:-$source_dir/target}"
release=false
[ "${TRUNK_PROFILE:-debug}" = "release" ] && release=true
if $release; then
  raw="$target_dir/wasm32-unknown-unknown/wasm-release/frontend.wasm"
else
  raw="$target_dir/wasm32-unknown-unknown/debug/frontend.wasm"
fi

tools="wasm-split-cli wasm-bindgen python3"
if $release; then tools="$tools wasm-opt"; fi
for tool in $tools; do
  command -v "$tool" >/dev/null || {
    echo "split-page: $tool is missing (scripts/setup.sh installs it)" >&2
    exit 1
  }
done
[ -f "$raw" ] || { echo "split-page: no $raw (cargo's output for this build)" >&2; exit 1; }

# Trunk's names for the page's JS and WASM: frontend-<hash>.js and frontend-<hash>_bg.wasm.
main_js="$(find "$staging" -maxdepth 1 -name 'frontend-*.js' -printf '%f\n')"
[ "$(printf '%s\n' "$main_js" | wc -l)" = 1 ] && [ -n "$main_js" ] || {
  echo "split-page: expected one frontend-*.js in $staging, found: $main_js" >&2
  exit 1
}
stem="${main_js%.js}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

wasm-split-cli --out-name "$stem" "$raw" "$work/split" >/dev/null
compgen -G "$work/split/split_*.wasm" >/dev/null || {
  echo "split-page: $raw has no split point (index.html builds with the split feature)" >&2
  exit 1
}
wasm-bindgen --target web --no-typescript --keep-lld-exports \
  --out-dir "$work/bindgen" --out-name "$stem" "$work/split/$stem.wasm"

shrink() {
  if $release; then
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-reference-types --strip-debug --strip-producers "$1" -o "$2"
  else
    cp "$1" "$2"
  fi
}

hash_of() {
  sha256sum "$1" | cut -c1-16
}

shrink "$work/bindgen/${stem}_bg.wasm" "$staging/${stem}_bg.wasm"

# Each chunk under a content-hashed name, and the loader told that name.
loader="$work/split/__wasm_split.js"
for chunk in "$work"/split/split_*.wasm; do
  original="$(basename "$chunk")"
  shrink "$chunk" "$work/chunk.wasm"
  # split_<module>.wasm (with a number after the module's name for Leptos's `#[lazy]`)
  # -> <module>-<content hash>.wasm
  function_name="$(printf '%s' "$original" | sed -E 's/^split_//; s/\.wasm$//; s/_[0-9]+$//')"
  named="$function_name-$(hash_of "$work/chunk.wasm").wasm"
  mv "$work/chunk.wasm" "$staging/$named"
  sed -i "s|\"./$original\"|\"./$named\"|" "$loader"
done
loader_name="wasm_split-$(hash_of "$loader").js"
cp "$loader" "$staging/$loader_name"
# Only the module import: the main module's imports keep the loader's original name as the key.
sed "s|from \"./__wasm_split.js\"|from \"./$loader_name\"|" "$work/bindgen/$stem.js" >"$staging/$main_js"

# Trunk's integrity attributes name the files it wrote; these are new.
python3 - "$staging/index.html" "$staging" "$main_js" "${stem}_bg.wasm" <<'PYTHON'
import base64, hashlib, re, sys

html_path, staging, *files = sys.argv[1:]
html = open(html_path, encoding="utf-8").read()
for name in files:
    digest = hashlib.sha384(open(f"{staging}/{name}", "rb").read()).digest()
    integrity = "sha384-" + base64.b64encode(digest).decode()
    tag = re.compile(r"<link[^>]*href=[\"']?/" + re.escape(name) + r"[\"' >][^>]*>")
    tags = tag.findall(html)
    if not tags:
        sys.exit(f"split-page: index.html does not link {name}")
    for old in tags:
        new = re.sub(r"integrity=[\"']?sha384-[A-Za-z0-9+/=]+[\"']?", "integrity=" + integrity, old)
        html = html.replace(old, new)
open(html_path, "w", encoding="utf-8").write(html)
PYTHON
