import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs: the same build is served over HTTP (browser mode) and the desktop app's own scheme.
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 5000,
    sourcemap: false,
  },
  server: { host: '127.0.0.1' },
});
