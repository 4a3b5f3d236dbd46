# salesforce-pkce — `make demo` and `make test` are all a newcomer needs.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
# Browser engines for make test-browser and the core E2E flows of make test-e2e: any of chromium firefox webkit.
ENGINES ?= chromium firefox webkit
export ENGINES

.PHONY: setup build build-stable test-package-stable test demo examples lint browser-table test-host test-browser test-package test-e2e test-bench-smoke bench screenshots fuzz clean

## setup: install every prerequisite (idempotent; checks versions)
setup:
	@scripts/setup.sh

## build: the shipped package into pkg/ (pinned nightly, no std), wasm-opt -Oz, minified JS, sizes
build: setup
	@scripts/build.sh

## build-stable: the same package built with stable Rust into build/stable/pkg/ (tested by make test)
build-stable: setup
	@TOOLCHAIN=stable scripts/build.sh

## lint: rustfmt and clippy (host and wasm32, with and without gloo; the wasm32 library also as the npm
## package's default and ./dpop entries build it: no dead code without sharing or DPoP), rustdoc for wasm32; warnings are errors;
## the structure rules (no module cycle, no file over 500 lines, provider checks in core/profile/);
## the public Rust API against docs/public-api.txt (scripts/public_api.py); clippy with the test-only
## feature internals (--all-targets: the crate's dev-dependency on itself turns it on) and without (--lib);
## the cargo-fuzz targets (clippy, rustfmt) and bench/core-probe (check; in target/, reusing the wasm32 dependencies
## checked above) compiled, as both are outside the workspace: about 1 min cold, 1 s warm
lint:
	python3 scripts/structure.py
	python3 scripts/public_api.py
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p salesforce-pkce --lib -- -D warnings
	cargo clippy --target wasm32-unknown-unknown -p salesforce-pkce --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown -p salesforce-pkce --lib --features npm -- -D warnings
	cargo clippy --target wasm32-unknown-unknown -p salesforce-pkce --lib --no-default-features --features npm -- -D warnings
	cargo clippy --target wasm32-unknown-unknown -p salesforce-pkce --lib --no-default-features --features npm,dpop -- -D warnings
	cargo clippy --target wasm32-unknown-unknown -p salesforce-pkce --all-targets --features gloo -- -D warnings
	cargo fmt --manifest-path examples/leptos/Cargo.toml --check
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --target wasm32-unknown-unknown -p salesforce-pkce --features gloo
	cargo clippy --manifest-path fuzz/Cargo.toml --bins -- -D warnings
	cargo fmt --manifest-path fuzz/Cargo.toml --check
	cargo check --manifest-path bench/core-probe/Cargo.toml --target wasm32-unknown-unknown --target-dir target

## test-host: the sans-I/O core and the emulator, with plain cargo test
test-host:
	cargo test --workspace

## test-browser: the wasm-bindgen-test suite in every engine of ENGINES (default: chromium firefox webkit)
test-browser:
	@scripts/test-browser.sh

## browser-table: rewrite README.md's Browser support table from the last test-browser and test-e2e runs (build/browser-results/, build/e2e-results/)
browser-table:
	@node scripts/browser-table.mjs

## test-package: wasm-pack pack, install the tarball, tsc over a usage file, node --test
test-package:
	tests/package/run.sh

## test-package-stable: the same over the stable build
test-package-stable: build-stable
	PKG=build/stable/pkg tests/package/run.sh

## examples: examples/ (Vite + React, webpack, Leptos) built on the packed package or the crate, driven in headless Chromium
examples: build
	@scripts/examples.sh

## test-e2e: the demo in headless Chromium against sf-emulator and against oidc-provider, and the
## core flows (tests/e2e/engines/) in every engine of ENGINES; results in build/e2e-results/
test-e2e:
	cargo build -q -p sf-emulator
	node --test --test-concurrency=1 tests/e2e/

## test-bench-smoke: a short run of the benchmark harness (exactly one refresh per storm is asserted)
test-bench-smoke:
	BENCH_QUICK=1 scripts/bench.sh

## test: every suite (installs what is missing first)
TEST_SUITES := setup lint test-host test-browser build test-package examples test-package-stable test-e2e test-bench-smoke
test:
	@start=$$(date +%s); $(MAKE) --no-print-directory $(TEST_SUITES) && \
	  echo "make test: all suites passed in $$(( $$(date +%s) - start )) s"

## screenshots: copy the screenshots of the last E2E run into docs/ (for the README)
screenshots:
	@test -d build/screenshots || { echo "run make test-e2e first"; exit 1; }
	mkdir -p docs/screenshots && cp build/screenshots/*.png docs/screenshots/

## demo: build, start the emulator and the static server, print the URL
demo: build
	@scripts/demo.sh

## bench: size and speed next to oidc-client-ts, auth0-spa-js, oauth4webapi, msal-browser (not in make test)
bench: build
	@scripts/bench.sh

## fuzz: property tests at 1,000,000 cases each, then cargo-fuzz targets for a fixed time (not in make test)
fuzz:
	@scripts/fuzz.sh

clean:
	rm -rf pkg build target/wasm32-unknown-unknown
