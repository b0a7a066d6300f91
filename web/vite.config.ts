import { defineConfig } from "vite";

// Preact through esbuild's automatic JSX runtime (no Babel plugin needed).
// `npm run dev` proxies the API to a local `cocity serve` on port 8080.
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "dist",
    assetsDir: "assets",
    sourcemap: false,
    target: "es2020",
  },
  server: {
    proxy: {
      "/api": { target: "http://127.0.0.1:8080", ws: true },
    },
  },
});
