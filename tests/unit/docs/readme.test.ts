// The README is read top to bottom on a fresh machine: everything it links to is in this repository, and
// every command it shows is one `storyreel --help` describes.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../electron/core/cli';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DOCS = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f))];
const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');

/** Markdown link and image targets: [text](target) and ![alt](target). */
function linkTargets(markdown: string): string[] {
  return [...markdown.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
}

async function helpText(): Promise<string> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  expect(await main(['--help'])).toBe(0);
  return lines.join('\n');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(DOCS)('%s', (file) => {
  const text = read(file);

  it('links only to files that exist inside the repository', () => {
    for (const target of linkTargets(text)) {
      if (/^https?:\/\//.test(target) || target.startsWith('#')) continue;
      const resolved = path.resolve(ROOT, path.dirname(file), target.split('#')[0]);
      expect(path.relative(ROOT, resolved).startsWith('..'), `${target} leaves the repository`).toBe(false);
      expect(existsSync(resolved), `${target} does not exist`).toBe(true);
    }
  });

  it('names no path outside the repository and no team-only document', () => {
    expect(text).not.toMatch(/\.\.\/(shared|work)\b|\/work\/shared|DESIGN\.md|PROVIDERS\.md|STYLE\.md/);
  });
});

describe('source comments', () => {
  it('cite the repository’s own docs/, not documents outside it', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(rel);
        else if (/\.(ts|tsx|mjs|css)$/.test(entry.name) && rel !== path.join('tests', 'unit', 'docs', 'readme.test.ts')) {
          read(rel).split('\n').forEach((line, i) => {
            if (/DESIGN §|(?<!docs\/)PROVIDERS\.md|\.\.\/shared\/[A-Z]+\.md/i.test(line)) offenders.push(`${rel}:${i + 1}`);
          });
        }
      }
    };
    for (const dir of ['shared', 'electron', 'renderer/src', 'scripts', 'bin', 'bench', 'tests']) walk(dir);
    expect(offenders).toEqual([]);
  });
});

describe('README commands', () => {
  it('shows only storyreel commands and options that --help describes', async () => {
    const help = await helpText();
    const blocks = [...read('README.md').matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
    const commands = blocks.flatMap((b) => b.split('\n')).flatMap((line) => {
      const m = /(?:^|&&\s*)(?:npx\s+)?storyreel\s+(.*)$/.exec(line.replace(/\s+#.*$/, '').trim());
      return m ? [m[1]] : [];
    });
    expect(commands.length).toBeGreaterThan(8);
    for (const rest of commands) {
      const [cmd] = rest.split(/\s+/);
      expect(help, `storyreel ${cmd}`).toContain(cmd.startsWith('-') ? cmd : `storyreel ${cmd}`);
      for (const flag of rest.match(/--[a-z-]+/g) ?? []) expect(help, `${cmd} ${flag}`).toContain(flag);
    }
  });
});
