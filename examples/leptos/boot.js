// Loads the app: wasm-bindgen's glue (build.sh puts it in app/), whose init runs main().
import init from "./app/leptos_example.js";
await init();
