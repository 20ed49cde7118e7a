import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is a static bundle served from app:// (desktop) or by the browser host. Relative base so
// both can serve it from any path.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      output: {
        // The libraries (React, zod, zustand) change only when a dependency is upgraded, the app on every
        // edit: two chunks, each well under Vite's 500 kB warning, and the libraries' one stays cached.
        codeSplitting: { groups: [{ name: 'vendor', test: /[\\/]node_modules[\\/]/ }] },
      },
    },
  },
});
