// Bundles the command line (electron/core/cli.ts and everything of ours it imports) into dist/cli/ with
// esbuild, so `storyreel` runs plain JavaScript: no TypeScript loader at start-up. Each command is its own
// chunk, loaded when it runs. dist/cli/inputs.json records every source file and its modification time, so
// bin/storyreel.mjs can tell a stale bundle (a source edited since) and rebuild it before running.
import { promises as fs, statSync } from 'node:fs';
import path from 'node:path';

export const CLI_OUT = path.join('dist', 'cli');
export const CLI_ENTRY = 'storyreel.mjs';
export const CLI_INPUTS = 'inputs.json';

/** Builds dist/cli/; files are written under temporary names and renamed, so a command running meanwhile never reads half a file. */
export async function buildCli(root) {
  const { build } = await import('esbuild');
  const outdir = path.join(root, CLI_OUT);
  const result = await build({
    absWorkingDir: root,
    entryPoints: { storyreel: 'electron/core/cli.ts' },
    outdir,
    // Flat: a chunk sits two folders below the root like the source does, so its import.meta.url finds package.json and dist/renderer.
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    // Dependencies load from node_modules; only our code is bundled (as for the desktop shell).
    packages: 'external',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  await fs.mkdir(outdir, { recursive: true });
  const tag = `.tmp-${process.pid}`;
  const entry = path.join(outdir, CLI_ENTRY);
  // Chunks first (their names carry their content hash), the entry last: it is what makes the new build live.
  const files = [...result.outputFiles].sort((a, b) => Number(a.path === entry) - Number(b.path === entry));
  for (const file of files) {
    await fs.writeFile(file.path + tag, file.contents);
    await fs.rename(file.path + tag, file.path);
  }
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((rel) => [rel, statSync(path.join(root, rel)).mtimeMs]));
  await fs.writeFile(path.join(outdir, CLI_INPUTS + tag), JSON.stringify({ inputs }, null, 1));
  await fs.rename(path.join(outdir, CLI_INPUTS + tag), path.join(outdir, CLI_INPUTS));
  // Chunks of earlier builds that nothing loads any more (kept for a minute: a command started before may still load them).
  const live = new Set(result.outputFiles.map((f) => path.basename(f.path)));
  for (const name of await fs.readdir(outdir)) {
    if (live.has(name) || name === CLI_INPUTS || name.includes('.tmp-')) continue;
    const file = path.join(outdir, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat && Date.now() - stat.mtimeMs > 60_000) await fs.rm(file, { force: true });
  }
  return entry;
}
