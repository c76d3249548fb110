import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(here, '../../dist/web/console'),
    emptyOutDir: true,
  },
  server: {
    // Dev only: forward the API to a locally running platform (npm start).
    proxy: { '/api': { target: 'http://localhost:8080', changeOrigin: false } },
  },
});
