// Builds everything the app and the browser host need: the renderer (Vite) into dist/renderer, the
// Electron main process (ESM) and preload (CommonJS: sandboxed preloads cannot load ESM) into dist-electron/,
// and the command line into dist/cli/. Runs on `npm install` (prepare), so `npx storyreel serve` works
// straight after installing. `node scripts/build.mjs renderer cli` builds only those parts.
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import { buildCli } from './build-cli.mjs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const parts = process.argv.slice(2);
const wanted = (part) => !parts.length || parts.includes(part);
const t0 = Date.now();

if (wanted('renderer')) {
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}
if (wanted('electron')) {
  const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: 'warning', absWorkingDir: root };
  await esbuild({
    ...common,
    entryPoints: ['electron/main/main.ts'],
    outfile: 'dist-electron/main.mjs',
    format: 'esm',
    // Dependencies load from node_modules (packaged into the app by electron-builder); only our code is bundled.
    packages: 'external',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  await esbuild({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist-electron/preload.cjs', format: 'cjs', external: ['electron'] });
}
if (wanted('cli')) await buildCli(root);
console.log(`storyreel: built ${parts.length ? parts.join(', ') : 'renderer, desktop shell and command line'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
