// The command line ships as built JavaScript (dist/cli/): the bin never runs a stale bundle, and what
// `storyreel --version` and `--help` load is our own code alone — no package, not even zod.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from './helpers';

const exec = promisify(execFile);
const OUT = path.join(ROOT, 'dist', 'cli');

/** The modules loaded before any code runs: static imports, followed through our own chunks. */
async function staticImports(file: string, seen = new Set<string>()): Promise<Set<string>> {
  const text = await fs.readFile(file, 'utf8');
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(?:[^'"();]*?\s+from\s+)?["']([^"']+)["'];?\s*$/gm)) {
    const spec = m[1];
    if (!spec.startsWith('.')) {
      seen.add(spec);
      continue;
    }
    const next = path.resolve(path.dirname(file), spec);
    if (seen.has(next)) continue;
    seen.add(next);
    await staticImports(next, seen);
  }
  return seen;
}

describe('the built command line', () => {
  it('is rebuilt before it runs when a source file changed since the last build', async () => {
    const source = path.join(ROOT, 'electron', 'core', 'cli-commands.ts');
    const when = new Date(Date.now() - 3_600_000);
    await fs.utimes(source, when, when);
    const { stdout } = await exec(process.execPath, [CLI, '--version'], { cwd: ROOT });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const { inputs } = JSON.parse(await fs.readFile(path.join(OUT, 'inputs.json'), 'utf8')) as { inputs: Record<string, number> };
    expect(inputs[path.join('electron', 'core', 'cli-commands.ts')]).toBe((await fs.stat(source)).mtimeMs);
    expect(Object.keys(inputs)).toContain(path.join('electron', 'core', 'cli-render.ts'));
  });

  it('starts --version and --help with our own code only: every package is loaded by the command that needs it', async () => {
    await exec(process.execPath, [CLI, '--version'], { cwd: ROOT }); // builds a missing or stale bundle
    const loaded = [...(await staticImports(path.join(OUT, 'storyreel.mjs')))];
    const packages = loaded.filter((s) => !s.startsWith('/') && !s.startsWith('node:'));
    expect(packages).toEqual([]);
    // …while a command's own chunk does load what it needs.
    const chunks = (await fs.readdir(OUT)).filter((f) => /^cli-render-.*\.mjs$/.test(f));
    expect(chunks.length).toBeGreaterThan(0);
  });
});
