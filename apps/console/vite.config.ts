// The console is plain static files under /ui/ (the API serves dist/ with @fastify/static): no
// CDN, no inline script, so it runs under the API's Content-Security-Policy as it is.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  base: "/ui/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
});
