import HtmlWebpackPlugin from "html-webpack-plugin";
import webpack from "webpack";

// Nothing here is for salesforce-pkce: webpack 5 bundles its session worker
// (`new SharedWorker(new URL(…, import.meta.url))`) and emits its wasm as an asset
// (`new URL("./salesforce_pkce_bg.wasm", import.meta.url)`, fetched by the package itself), so
// neither experiments.asyncWebAssembly nor a copy step is needed.
export default {
  entry: "./src/index.js",
  output: { path: new URL("./dist/", import.meta.url).pathname, clean: true },
  plugins: [
    new HtmlWebpackPlugin({ template: "./src/index.html" }),
    // The app's settings, from the build's environment.
    new webpack.DefinePlugin({
      SF_LOGIN_HOST: JSON.stringify(process.env.SF_LOGIN_HOST || ""),
      SF_CLIENT_ID: JSON.stringify(process.env.SF_CLIENT_ID || ""),
      SF_SHARING: JSON.stringify(process.env.SF_SHARING || ""),
    }),
  ],
};
