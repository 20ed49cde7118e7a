// `storyreel` after `npm link` (or `npm install -g` of the checkout): the command is a symlink in npm's
// bin folder to a symlink of the checkout, and it runs from whatever folder the person is in — including
// one that is itself a TypeScript project with its own tsconfig.json.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers';

const exec = promisify(execFile);
let tmp: string;
let linkedBin: string;

beforeAll(async () => {
  tmp = await tempDir('sr-cli-anywhere-');
  // The layout `npm link` makes: <prefix>/lib/node_modules/storyreel -> checkout, <prefix>/bin/storyreel -> that package's bin.
  const prefix = path.join(tmp, 'prefix');
  await fs.mkdir(path.join(prefix, 'lib', 'node_modules'), { recursive: true });
  await fs.mkdir(path.join(prefix, 'bin'));
  await fs.symlink(ROOT, path.join(prefix, 'lib', 'node_modules', 'storyreel'), 'dir');
  linkedBin = path.join(prefix, 'bin', 'storyreel');
  await fs.symlink(path.join('..', 'lib', 'node_modules', 'storyreel', 'bin', 'storyreel.mjs'), linkedBin);
});

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function runLinked(args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  // Executed as the shell would (through its #! line), not as `node <file>`.
  return exec(linkedBin, args, { cwd, env: { ...process.env, STORYREEL_CONFIG_DIR: path.join(tmp, 'config') } });
}

describe('storyreel from any folder, through a linked bin', () => {
  it('prints its help and creates a project at a path relative to where it was run', async () => {
    const films = path.join(tmp, 'films');
    await fs.mkdir(films);
    const help = await runLinked(['--help'], films);
    expect(help.stdout).toContain('Usage:');
    expect(help.stdout).toContain('storyreel serve <dir>');

    await fs.writeFile(path.join(films, 'shots.csv'), 'title,prompt,duration\nHarbour,boats at dawn,3\n');
    await runLinked(['new', 'lighthouse.storyreel', '--shots', 'shots.csv'], films);
    const doc = JSON.parse(await fs.readFile(path.join(films, 'lighthouse.storyreel', 'project.json'), 'utf8')) as { shots: { title: string }[] };
    expect(doc.shots.map((s) => s.title)).toEqual(['Harbour']);
  });

  it('ignores the tsconfig.json of the folder it runs in (its paths must not reroute Storyreel’s imports)', async () => {
    const app = path.join(tmp, 'someone-elses-app');
    await fs.mkdir(app);
    await fs.writeFile(path.join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { zod: ['./src/zod-shim.ts'] } } }));
    await fs.mkdir(path.join(app, 'src'));
    await fs.writeFile(path.join(app, 'src', 'zod-shim.ts'), 'export const notZod = true;\n');
    const { stdout } = await runLinked(['providers'], app);
    expect(stdout).toContain('animatic');
  });
});
