import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The control plane listens on 4242 in development (`npm run dev`); Vite proxies the API to it
// so the browser sees one origin, as it does in production where the server serves web/dist.
const controlPlane = 'http://localhost:4242';

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: {
      '/api': controlPlane,
      '/healthz': controlPlane,
      '/readyz': controlPlane,
    },
  },
  build: { outDir: 'dist', emptyOutDir: true },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/testing/setup-tests.ts'],
    // One jsdom and one module cache per worker instead of per file: building them was about
    // three quarters of the suite's CPU time (ADR 0020). Nothing leaks between files: the setup
    // file unmounts, clears sessionStorage, and Vitest restores mocks and stubbed globals.
    isolate: false,
    restoreMocks: true,
    unstubGlobals: true,
  },
});
