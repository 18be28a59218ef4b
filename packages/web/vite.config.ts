import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The UI is served by the Passage server at `/`, so the build is plain static files in `dist/`.
 * In development `vite` proxies the API to a running `passage serve` (PASSAGE_API_URL).
 */
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // ECharts is imported lazily by the chart component, so it lands in its own chunk and the
    // sign-in page does not wait for it.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { "/api": process.env.PASSAGE_API_URL ?? "http://127.0.0.1:8080" },
  },
});
