#!/usr/bin/env node
// Runs the command line as built JavaScript (dist/cli/, bundled by scripts/build-cli.mjs): no TypeScript
// loader at start-up. In a checkout the bundle is rebuilt first when it is missing or any of its sources
// changed since (dist/cli/inputs.json lists them), so an edit is never run stale. Works from any folder and
// through the symlinks `npm link` makes (Node resolves them to this file, so the paths below find the checkout).
import { readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = path.join(root, 'dist', 'cli');
const entry = path.join(outdir, 'storyreel.mjs');

/** True when the bundle exists and none of its sources changed (or are gone) since it was built. */
function isFresh() {
  try {
    const { inputs } = JSON.parse(readFileSync(path.join(outdir, 'inputs.json'), 'utf8'));
    if (!existsSync(entry)) return false;
    for (const [rel, mtimeMs] of Object.entries(inputs)) if (statSync(path.join(root, rel)).mtimeMs !== mtimeMs) return false;
    return true;
  } catch {
    return false;
  }
}

// `storyreel … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

if (!isFresh()) {
  // Sources without esbuild (an install without development dependencies) run the bundle that shipped.
  const sources = existsSync(path.join(root, 'electron', 'core', 'cli.ts'));
  const built = sources
    ? await import('../scripts/build-cli.mjs').then((m) => m.buildCli(root)).catch((err) => (existsSync(entry) ? entry : err))
    : entry;
  if (built instanceof Error || !existsSync(entry)) {
    console.error(`storyreel: the command line is not built and could not be built here (${built instanceof Error ? built.message.split('\n')[0] : `${entry} is missing`}).`);
    console.error(`  Run \`npm install\` and then \`npm run build\` in ${root}, then try again.`);
    process.exit(1);
  }
}
const { run } = await import(pathToFileURL(entry).href);
await run(process.argv.slice(2));
