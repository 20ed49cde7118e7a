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
  },
});
