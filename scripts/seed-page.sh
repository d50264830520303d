#!/usr/bin/env bash
# Builds the page this chat replaced, for comparison in `loadgen page`: the teaching demo's
# jQuery 1.9.1 and Bootstrap 3 (from npm) with a sign-in form, compressed like our release
# build. Writes target/seed-page/ and prints its path. Used by scripts/bench.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

out="target/seed-page"
modules="$out/npm"
if [ ! -f "$modules/node_modules/jquery/jquery.min.js" ] \
  || [ ! -f "$modules/node_modules/bootstrap/dist/css/bootstrap.min.css" ]; then
  mkdir -p "$modules"
  npm install --prefix "$modules" --no-audit --no-fund --silent jquery@1.9.1 bootstrap@3.4.1
fi
rm -f "$out"/*.html* "$out"/*.js* "$out"/*.css*
cp "$modules/node_modules/jquery/jquery.min.js" "$out/jquery.min.js"
cp "$modules/node_modules/bootstrap/dist/js/bootstrap.min.js" "$out/bootstrap.min.js"
cp "$modules/node_modules/bootstrap/dist/css/bootstrap.min.css" "$out/bootstrap.min.css"
cat > "$out/index.html" <<'HTML'
<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Chat</title>
    <link rel="stylesheet" href="/bootstrap.min.css" />
  </head>
  <body>
    <main class="login container">
      <h1>Chat</h1>
      <form class="form-inline">
        <label for="nickname">Pick a nickname</label>
        <input id="nickname" class="form-control" />
        <button type="submit" class="btn btn-primary">Enter the room</button>
      </form>
      <div id="messages"></div>
    </main>
    <script src="/jquery.min.js"></script>
    <script src="/bootstrap.min.js"></script>
  </body>
</html>
HTML
bash scripts/precompress.sh "$out"
echo "$out"
