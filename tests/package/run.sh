#!/usr/bin/env bash
# Packs pkg/ (or $PKG) with wasm-pack pack, installs the tarball into a scratch project, type-checks
# usage files with tsc and runs the smoke tests with node --test. React, react-dom and @types/react
# (for ./react) resolve from the repository's node_modules: the scratch project lies inside it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
pkg=${PKG:-pkg}  # PKG=build/stable/pkg: the stable build of the same package
rm -f "$pkg"/*.tgz
# wasm-pack pack takes pkg/ itself, or a folder with a pkg/ inside (build/stable).
if [ "$pkg" = pkg ]; then wasm-pack pack pkg; else wasm-pack pack "$(dirname "$pkg")"; fi >/dev/null 2>&1
tarball=$(ls "$root/$pkg"/*.tgz)
echo "package under test: $pkg"
scratch="$root/build/package-test"
rm -rf "$scratch" && mkdir -p "$scratch"
cd "$scratch"
printf '{ "name": "scratch", "private": true, "type": "module" }\n' > package.json
npm install --no-audit --no-fund --loglevel=error "$tarball" >/dev/null
cp "$root/tests/package/usage.ts" "$root/tests/package/smoke.test.mjs" "$root/tests/package/init.test.mjs" "$root/tests/package/testing.test.mjs" "$root/tests/package/readme.test.mjs" \
  "$root/tests/package/usage-react.tsx" "$root/tests/package/react.test.mjs" "$root/tests/package/react-app.js" \
  "$root/tests/package/development.test.mjs" "$root/tests/package/development-probe.mjs" .
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "ESNext", "moduleResolution": "Bundler", "strict": true,
  "noEmit": true, "lib": ["ES2022", "ESNext.Disposable", "DOM", "DOM.Iterable"], "skipLibCheck": false,
  "jsx": "react-jsx" }, "files": ["usage.ts", "usage-react.tsx"] }
JSON
"$root/node_modules/.bin/tsc" -p tsconfig.json
echo "tsc --noEmit: the typings check against tests/package/usage.ts and usage-react.tsx"
grep -c "any" node_modules/salesforce-pkce/salesforce_pkce.d.ts | xargs -I{} echo "lines mentioning 'any' in the typings: {}"
REPO_ROOT="$root" node --test smoke.test.mjs init.test.mjs testing.test.mjs readme.test.mjs react.test.mjs development.test.mjs
