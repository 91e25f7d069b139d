import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The dashboard: sources in web/, built into dist/web, which the Fastify server serves at `/`
 * (src/server/static-files.ts). In development (`npx vite`) the API and gateway are proxied to a
 * `qudao start` on :8080, so the browser sees one origin either way.
 */
const backend = 'http://127.0.0.1:8080';

export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: { '/api': backend, '/v1': backend, '/healthz': backend },
  },
});
