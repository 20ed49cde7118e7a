// `npm run bench -- cli`: how long `storyreel --version` takes to start, against `node -e 0` measured in the same
// run — the bundled command line (bin/storyreel.mjs → dist/cli/) and, for comparison, the TypeScript entry run
// through tsx's loader as bin/storyreel.mjs did before the CLI was bundled. Runs are interleaved (so load on
// the machine falls on all three alike); median of 9 each, after one warm-up run (which also rebuilds a stale bundle).
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './run';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 9;

const viaTsx = `import { register } from 'tsx/esm/api';
register({ tsconfig: ${JSON.stringify(path.join(ROOT, 'tsconfig.json'))} });
const { run } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'electron', 'core', 'cli.ts')).href)});
await run(['--version']);`;

const COMMANDS: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'storyreel --version (built)': [path.join(ROOT, 'bin', 'storyreel.mjs'), '--version'],
  'storyreel --version through tsx (before)': ['--input-type=module', '-e', viaTsx],
};

function once(args: string[]): number {
  const t = performance.now();
  const res = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const ms = performance.now() - t;
  if (res.status !== 0) throw new Error(`node ${args[0]} exited ${res.status}: ${res.stderr}`);
  return ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run(): Promise<BenchResult> {
  const names = Object.keys(COMMANDS);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) once(COMMANDS[n]);
  for (let i = 0; i < RUNS; i++) for (const n of names) times[n].push(once(COMMANDS[n]));
  const [base, built, tsx] = names.map((n) => median(times[n]));
  return {
    name: 'cli',
    summary: [
      `node -e 0: ${base.toFixed(0)} ms (the baseline: 1.00×)`,
      `storyreel --version, built: ${built.toFixed(0)} ms (${(built / base).toFixed(2)}× node -e 0; ${(built - base).toFixed(0)} ms of its own)`,
      `storyreel --version through tsx, as before: ${tsx.toFixed(0)} ms (${(tsx / base).toFixed(2)}× node -e 0; ${(tsx - base).toFixed(0)} ms of its own)`,
      `start-up beyond node itself: ${((built - base) / (tsx - base)).toFixed(2)} of what it was (median of ${RUNS}, interleaved)`,
    ],
    metrics: { nodeMs: base, builtMs: built, tsxMs: tsx, builtRatio: built / base, tsxRatio: tsx / base },
  };
}
