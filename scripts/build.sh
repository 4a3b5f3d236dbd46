#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm-pack (release, --target web, cargo feature npm: no std),
# wasm-opt -Oz from the npm binaryen package, the AuthError re-export, the shipped JS minified
# with esbuild, then prints the sizes (raw and gzip).
set -euo pipefail
cd "$(dirname "$0")/.."

# TOOLCHAIN=nightly (default: the shipped package, into pkg/) or stable (into OUT, default
# build/stable/pkg: the same package built with stable Rust, still tested by make test).
# Three entries: the default one (no session sharing, no DPoP: what most pages load), ./dpop
# (cargo feature dpop: DPoP and id_token signature checks) and ./tabs (cargo features sharing
# and dpop, with the session worker beside it).
toolchain=${TOOLCHAIN:-nightly}
if [ "$toolchain" = nightly ]; then out=${OUT:-pkg}; else out=${OUT:-build/stable/pkg}; fi
wasm_pack() { # wasm_pack OUT_DIR FEATURES
  if [ "$toolchain" = nightly ]; then
    # panic=immediate-abort, no panic locations, no fmt Debug, core/alloc rebuilt (the npm build
    # links no std). RUSTFLAGS replaces .cargo/config.toml's, so the getrandom cfg is repeated.
    # core/alloc are rebuilt with their optimize_for_size feature (smaller sort, integer
    # formatting and float parsing paths, same results): the default page -26 B, ./dpop -22,
    # ./tabs -18 (docs/DECISIONS.md, "The toolchain and the optimizer, re-measured").
    RUSTUP_TOOLCHAIN=$(scripts/nightly.sh) CARGO_TARGET_DIR=target/nightly \
      RUSTFLAGS='--cfg getrandom_backend="wasm_js" -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none' \
      wasm-pack build --release --target web --out-dir "$PWD/$1" --out-name salesforce_pkce -- $2 -Z build-std=core,alloc \
      -Z build-std-features=optimize_for_size \
      >/dev/null 2>build.log || { cat build.log; exit 1; }
  else
    wasm-pack build --release --target web --out-dir "$PWD/$1" --out-name salesforce_pkce -- $2 \
      >/dev/null 2>build.log || { cat build.log; exit 1; }
  fi
  rm -f build.log
}
rm -rf "$out"
tabs_tmp=build/tabs-entry-$toolchain
dpop_tmp=build/dpop-entry-$toolchain
rm -rf "$tabs_tmp" "$dpop_tmp"
wasm_pack "$tabs_tmp" "--features npm"
wasm_pack "$dpop_tmp" "--no-default-features --features npm,dpop"
wasm_pack "$out" "--no-default-features --features npm"
for e in tabs dpop; do
  tmp=build/$e-entry-$toolchain
  rm -f "$tmp"/package.json "$tmp"/README.md "$tmp"/.gitignore
  rm -rf "${out:?}/$e" && mv "$tmp" "$out/$e"
done

for dir in "$out" "$out/dpop" "$out/tabs"; do
  wasm=$dir/salesforce_pkce_bg.wasm
  # The target_features section only tells tools how the module was built: browsers ignore it.
  # After -Oz, --flatten --rereloop rebuilds each function's control flow from scratch and -Oz
  # runs again (semantics unchanged), twice: with the minify-names step's -Oz, the default page
  # -370 B, ./dpop -417, ./tabs -595 (once: -298; a third round or --converge: no better).
  scripts/wasm-opt.sh "$wasm" "$wasm.opt" --flatten --rereloop -Oz --flatten --rereloop -Oz --strip-debug --strip-producers --strip-target-features
  mv "$wasm.opt" "$wasm"
  # Import and export names minified in the wasm and its glue (scripts/minify-names.mjs).
  node scripts/minify-names.mjs "$dir" >/dev/null
  # AuthError is defined in the executor snippet (a real Error subclass); re-export it from the entry.
  snippet=$(cd "$dir" && ls snippets/*/js/executor.js)
  printf '\nexport { AuthError } from "./%s";\n' "$snippet" >> "$dir/salesforce_pkce.js"
  # The wasm's URL as a "./" path: the form bundlers resolve as a file beside the glue, never as
  # a package name.
  node scripts/wasm-url.mjs "$dir/salesforce_pkce.js"
  # The typings keep the wasm module's internal exports out of InitOutput.
  node scripts/dts.mjs "$dir"
  # AuthClient, over the wasm's `__s` and each client's function (scripts/class.mjs; after
  # free(), its calls throw AuthError not_initialized).
  node scripts/class.mjs "$dir/salesforce_pkce.js"
  # Before init(), calls throw AuthError not_initialized, not a TypeError.
  node scripts/guard.mjs "$dir/salesforce_pkce.js"
  # Branches of the glue no engine able to compile the wasm takes (scripts/glue-trim.mjs).
  node scripts/glue-trim.mjs "$dir/salesforce_pkce.js"
done

# The development build of each entry (the "development" export condition): the same glue and
# wasm, with the doctor's explanations (js/prose.js, kept out of the wasm) and its warning at
# construction (js/development.js).
cp js/prose.js js/development.js "$out/"
node scripts/error-prose.mjs "$out/explanations.js"
# Minified like the production JS (a dev-mode page loads them unbundled; their comments stay in js/).
for f in prose development explanations; do
  node_modules/.bin/esbuild "$out/$f.js" --minify --format=esm --log-level=error --outfile="$out/$f.js" --allow-overwrite
done
for e in . dpop tabs; do
  up=.; [ "$e" = . ] || up=..
  printf '%s\n' \
    "// The development build of this entry: the production glue beside it, AuthClient explained." \
    "import { AuthClient as Production, AuthError } from \"./salesforce_pkce.js\";" \
    "import { development } from \"$up/development.js\";" \
    "export * from \"./salesforce_pkce.js\";" \
    "export { default } from \"./salesforce_pkce.js\";" \
    "export const AuthClient = development(Production, AuthError);" > "$out/$e/salesforce_pkce.development.js"
done

# The session worker (sessionSharing: "tabs") imports the tabs entry from beside it.
cp js/session-worker.js "$out/tabs/session-worker.js"
# The test double (salesforce-pkce/testing): plain JS beside the default entry, no wasm.
mkdir -p "$out/testing" && cp js/testing/index.js js/testing/index.d.ts "$out/testing/"
# The React bindings (salesforce-pkce/react): plain JS importing only "react" (an optional peer
# dependency), no entry of the package: the app's client brings the entry it chose.
mkdir -p "$out/react" && cp js/react/index.js js/react/index.d.ts "$out/react/"

# package.json: the three entries, ./testing and ./react, the snippets and the session worker.
node scripts/package-json.mjs "$out"
# The package's README is written for npm users (docs/README.npm.md); the guides, the security
# model and the Salesforce notes it links to ship beside it (tests/package checks every link).
cp docs/README.npm.md "$out/README.md"
mkdir -p "$out/docs/guides"
cp docs/guides/*.md "$out/docs/guides/"
cp docs/SECURITY.md docs/SALESFORCE.md "$out/docs/"

# Shipped JS minified like the peers' (esbuild, ESM kept: import.meta.url and the
# new URL(..., import.meta.url) forms bundlers rewrite stay as they are); the .d.ts stays readable.
# Each entry's glue is bundled with its snippets (js/executor.js; js/dpop.js, js/tabs.js:
# imported by nothing else): fewer files to fetch and to gzip. The closures' `_wbg_cb_unref` (a
# property only the glue reads, on functions only the wasm, the executor and the class
# (scripts/class.mjs, in the same bundle) hold) is mangled.
# tabs.js names the session worker relative to its own place (tabs/snippets/<crate>/js/); in the
# bundle it sits beside the worker.
for dir in "$out" "$out/dpop" "$out/tabs"; do
  node_modules/.bin/esbuild "$dir/salesforce_pkce.js" --bundle --minify --format=esm --log-level=error \
    --mangle-props='^_wbg_cb_unref$' --outfile="$dir/salesforce_pkce.js" --allow-overwrite
  rm -rf "${dir:?}/snippets"
done
worker_url='new URL("../../../session-worker.js",import.meta.url)'
grep -qF "$worker_url" "$out/tabs/salesforce_pkce.js" || { echo "build: the session worker's URL is not where expected in $out/tabs/salesforce_pkce.js" >&2; exit 1; }
sed -i 's#new URL("\.\./\.\./\.\./session-worker\.js",import\.meta\.url)#new URL("./session-worker.js",import.meta.url)#' "$out/tabs/salesforce_pkce.js"
for f in "$out"/tabs/session-worker.js; do
  node_modules/.bin/esbuild "$f" --minify --format=esm --log-level=error --outfile="$f" --allow-overwrite
done
# The forms Vite and webpack 5 detect and rewrite, checked in the shipped (minified) files: the
# wasm beside each glue, the session worker beside the ./tabs entry, the entry beside the worker.
literal() { # literal FILE REGEX
  grep -qE "$2" "$1" || { echo "build: $1 lost the literal form /$2/ bundlers rewrite" >&2; exit 1; }
}
for dir in "$out" "$out/dpop" "$out/tabs"; do
  literal "$dir/salesforce_pkce.js" 'new URL\("\./salesforce_pkce_bg\.wasm",import\.meta\.url\)'
done
literal "$out/tabs/salesforce_pkce.js" \
  'new SharedWorker\(new URL\("\./session-worker\.js",import\.meta\.url\),\{type:"module"'
literal "$out/tabs/session-worker.js" 'from"\./salesforce_pkce\.js"'
echo "$toolchain build in $out/"
scripts/sizes.sh "$out"
