#!/usr/bin/env bash
# What the shipped wasm is made of: the same release build passed through wasm-bindgen and
# wasm-opt (-Oz, then --flatten --rereloop -Oz twice, as scripts/build.sh) with names kept (the
# shipped file is the same code, stripped), summarised by origin.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/twiggy && rm -rf "$out" && mkdir -p "$out"
# The shipped build (make build: the pinned nightly, target/nightly).
wasm-bindgen --keep-debug --target web --out-dir "$out" target/nightly/wasm32-unknown-unknown/release/salesforce_pkce.wasm
scripts/wasm-opt.sh "$out/salesforce_pkce_bg.wasm" "$out/named.wasm" --flatten --rereloop -Oz --flatten --rereloop -Oz -g
twiggy top -n 100000 -f csv "$out/named.wasm" > "$out/top.csv"
python3 - "$out/top.csv" pkg/salesforce_pkce_bg.wasm <<'PY'
import csv, sys, collections, re
# Attribution by module: the crate and first module of each function (v0 and legacy names).
def part(name):
    if name.startswith('"function names"'): return None
    if name.startswith("data segment"): return "data (.rodata: strings, tables)"
    if re.search(r"\bcore(\[[0-9a-f]+\])?::fmt\b", name): return "core::fmt"
    if "future_to_promise" in name: return "js: async bodies (future_to_promise)"
    if "shim" in name or re.match(r"^[<&\s]*(wasm_bindgen|js_sys|web_sys)\b", name): return "glue (wasm-bindgen, js-sys, web-sys)"
    m = re.match(r"^[<&\s]*(?:dyn\s+)?([a-z_0-9]+)(?:\[[0-9a-f]+\])?::([a-z_0-9]+)(?:::([a-z_0-9]+))?", name)
    if not m: return "other"
    crate, module, sub = m.groups()
    if crate == "salesforce_pkce":
        if module == "core" and sub == "session": return "session (core::session)"
        if module == "js" and "{closure" in name: return "js (API): closures"
        return {"core": "core (protocol)", "browser": "browser (driver)", "js": "js (API)"}.get(module, "salesforce-pkce other")
    if crate in ("core", "alloc", "lol_alloc", "compiler_builtins", "std", "dlmalloc"): return "core/alloc library"
    return "dependencies (sha2, base64, serde, ...)"
total = collections.Counter()
for row in csv.DictReader(open(sys.argv[1])):
    label = part(row["Name"])
    if label: total[label] += int(row["ShallowSize"])
shipped = sum(total.values())
print("\n## What the wasm is made of (twiggy, bytes before gzip)\n")
print("| part | bytes | share |\n|---|---:|---:|")
for label, size in total.most_common():
    print(f"| {label} | {size} | {100 * size / shipped:.1f} % |")
print(f"| **total code and data** | {shipped} | 100 % |")
# The 20 largest items (functions and data segments) by their own size, names shortened: crate
# hashes and generic arguments dropped.
def short(name):
    name = re.sub(r"\[[0-9a-f]+\]", "", name)
    while True:  # generic arguments (a group after a name), innermost first; <Type>::f stays
        shorter = re.sub(r"(::)?(?<=[\w:])<[^<>]*>", "", name)
        if shorter == name: break
        name = shorter
    return name.replace("salesforce_pkce::", "")[:110].replace("|", "\\|")
rows = [r for r in csv.DictReader(open(sys.argv[1])) if not r["Name"].startswith('"function names"')]
print("\n### The 20 largest items (twiggy top, bytes before gzip)\n")
print("| # | item | bytes | share |\n|---:|---|---:|---:|")
for i, r in enumerate(rows[:20], 1):
    size = int(r["ShallowSize"])
    print(f"| {i} | `{short(r['Name'])}` | {size} | {100 * size / shipped:.1f} % |")
blob = open(sys.argv[2], "rb").read()
# The async runtime the event-loop design removes from the npm build (docs/DECISIONS.md):
# wasm-bindgen-futures, JsFuture, future_to_promise, futures-util, and closures made per call.
runtime = re.compile(r"wasm_bindgen_futures|JsFuture|future_to_promise|futures_util|futures_core|spawn_local")
hits = [(row["Name"], int(row["ShallowSize"])) for row in csv.DictReader(open(sys.argv[1])) if runtime.search(row["Name"])]
print(f"\nasync runtime symbols (wasm_bindgen_futures, JsFuture, future_to_promise, futures_util, spawn_local): "
      f"{len(hits)} functions, {sum(s for _, s in hits)} bytes")
paths = sorted(set(re.findall(rb"[A-Za-z0-9_./-]+\.rs\b", blob)))
print(f"\ncore::fmt: {total['core::fmt']} bytes; panic file paths in the shipped wasm: {len(paths)}"
      + (" (" + ", ".join(p.decode() for p in paths[:5]) + ")" if paths else ""))
PY
