#!/usr/bin/env bash
# What the shipped wasm is made of: the same release build passed through wasm-bindgen and
# wasm-opt -Oz with names kept (the shipped file is the same code, stripped), summarised by origin.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/twiggy && rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --keep-debug --target web --out-dir "$out" target/wasm32-unknown-unknown/release/salesforce_pkce.wasm
scripts/wasm-opt.sh "$out/salesforce_pkce_bg.wasm" "$out/named.wasm" -g
twiggy top -n 100000 -f csv "$out/named.wasm" > "$out/top.csv"
python3 - "$out/top.csv" <<'PY'
import csv, sys, collections
groups = [("function names", "(name section, not shipped)"), ("data segment", "strings and tables (.rodata)"),
          ("serde_wasm_bindgen", "serde-wasm-bindgen"), ("serde", "serde"), ("flt2dec", "float formatting"), ("dec2flt", "float parsing"),
          ("f64", "float formatting"), ("core[", "core::fmt and core"), ("alloc", "alloc / dlmalloc"), ("futures", "async state machines (future_to_promise)"),
          ("sha2", "sha2"), ("base64", "base64"), ("gloo", "gloo-net"), ("shim", "wasm-bindgen shims"), ("salesforce_pkce::core", "salesforce-pkce core"),
          ("salesforce_pkce::browser", "salesforce-pkce browser"), ("salesforce_pkce::js", "salesforce-pkce js"), ("js_sys", "js-sys"), ("web_sys", "web-sys")]
total = collections.Counter()
for row in csv.DictReader(open(sys.argv[1])):
    name, size = row["Name"], int(row["ShallowSize"])
    label = next((l for k, l in groups if k in name), "other")
    total[label] += size
shipped = sum(v for k, v in total.items() if not k.startswith("(name"))
print("\n## What the wasm is made of (twiggy, bytes before gzip)\n")
print("| part | bytes | share |\n|---|---:|---:|")
for label, size in total.most_common():
    if label.startswith("(name"):
        continue
    print(f"| {label} | {size} | {100 * size / shipped:.1f} % |")
print(f"| **total code and data** | {shipped} | 100 % |")
PY
