import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const webRoot = fileURLToPath(new URL("./src/web", import.meta.url));
const outDir = fileURLToPath(new URL("./dist/web", import.meta.url));

/** The web app: sources in src/web, built into dist/web (served by the API server); `vite` proxies /api in dev. */
export default defineConfig({
  root: webRoot,
  build: {
    outDir,
    emptyOutDir: true,
    // React Query marks its modules "use client" for server components; a single-page app has none.
    rolldownOptions: { checks: { moduleLevelDirective: false } },
  },
  server: { proxy: { "/api": "http://localhost:3000" } },
});
