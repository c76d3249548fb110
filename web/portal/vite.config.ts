/** Vite build of the customer portal SPA: `npx vite build --config web/portal/vite.config.ts`. */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web/portal', import.meta.url)),
    emptyOutDir: true,
    // The CSP allows script-src 'self' only: never inline anything as a data: URL script.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    // `npx vite --config web/portal/vite.config.ts` proxies the API to a running platform, presenting
    // the brand host the server routes by (PORTAL_DEV_HOST, default the demo brand).
    proxy: Object.fromEntries(
      ['/api', '/brand'].map((prefix) => [
        prefix,
        {
          target: process.env.PORTAL_DEV_API ?? 'http://127.0.0.1:8080',
          headers: { host: process.env.PORTAL_DEV_HOST ?? 'portal.localhost:8080' },
        },
      ]),
    ),
  },
});
