// Every environment variable the code reads is in the README's table, so nobody has to read the source to
// find a setting (a variable added without a line there fails here).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../../shared/capabilities';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sources(rel);
    return /\.(ts|tsx|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** NAME in process.env.NAME, env.NAME, env['NAME'], and STORYREEL_${provider}_URL for each cloud provider. */
function variablesRead(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of ['electron', 'shared', 'bin', 'scripts'].flatMap(sources)) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]+)|\[['"]([A-Z][A-Z0-9_]+)['"]\])/g)) found.set(m[1] ?? m[2], file);
    if (/env\[`STORYREEL_\$\{[^}]+\}_URL`\]/.test(text)) {
      for (const id of Object.keys(CAPABILITIES)) if (id !== 'animatic') found.set(`STORYREEL_${id.toUpperCase()}_URL`, file);
    }
  }
  for (const caps of Object.values(CAPABILITIES)) for (const name of caps.envKeys) found.set(name, 'shared/capabilities.ts');
  return found;
}

describe('environment variables', () => {
  it('every one the code reads is named in the README', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const read = variablesRead();
    expect(read.size).toBeGreaterThan(15);
    const missing = [...read].filter(([name]) => !readme.includes(`\`${name}\``)).map(([name, file]) => `${name} (${file})`);
    expect(missing).toEqual([]);
  });
});
