// `npm run bench [-- name ...]`: runs the named benchmarks (all when none is named) and prints each
// one's measurements as ratios against a baseline measured in the same run, never as absolute
// pass/fail timings. Results are also written to bench/results/<name>.json (ignored by git).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchResult {
  name: string;
  /** Lines for a person: what was measured and the ratios. */
  summary: string[];
  /** Raw numbers for the JSON report. */
  metrics: Record<string, number>;
}

export type Bench = () => Promise<BenchResult>;

const here = path.dirname(fileURLToPath(import.meta.url));
/** Each bench lives in bench/<name>.ts and exports `run`. */
const KNOWN = ['stitch', 'engine', 'ui', 'preview', 'mix', 'cli', 'sync'];

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = asked.length ? asked : KNOWN;
  await mkdir(path.join(here, 'results'), { recursive: true });
  let failed = false;
  for (const name of names) {
    if (!KNOWN.includes(name)) {
      console.error(`Unknown bench "${name}". Benches: ${KNOWN.join(', ')}.`);
      failed = true;
      continue;
    }
    let mod: { run?: Bench };
    try {
      mod = (await import(path.join(here, `${name}.ts`))) as { run?: Bench };
    } catch (err) {
      console.log(`— ${name}: not available yet (${(err as Error).message.split('\n')[0]})`);
      continue;
    }
    console.log(`━━ bench: ${name} ━━`);
    const result = await mod.run!();
    for (const line of result.summary) console.log(`  ${line}`);
    await writeFile(path.join(here, 'results', `${name}.json`), `${JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2)}\n`);
  }
  if (failed) process.exitCode = 2;
}

await main();
