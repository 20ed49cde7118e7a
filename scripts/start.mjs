#!/usr/bin/env node
// `npm start [-- <project folder>] [--port N]`: builds, then starts the desktop app. Where Electron's binary is not
// installed (its download comes from outside the package registry and is blocked on some machines), it says
// so plainly and offers browser mode, which runs the same studio from `storyreel serve`.
//
// It never calls require('electron'): that starts a download attempt, which fails with a stack trace where
// downloads are blocked. It looks for the binary the way the electron package records it instead.
import { spawn, spawnSync } from 'node:child_process';
import { constants, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { parseStartArgs, sampleLocation } from './start-plan.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = parseStartArgs(process.argv.slice(2));
if (args.error) {
  console.error(`storyreel: ${args.error}`);
  process.exit(2);
}

/** node_modules/electron/path.txt names the executable inside node_modules/electron/dist once it is installed. */
function electronBinary() {
  const pkg = path.join(root, 'node_modules', 'electron');
  let rel;
  try {
    rel = readFileSync(path.join(pkg, 'path.txt'), 'utf8').trim();
  } catch {
    return undefined;
  }
  if (!rel) return undefined;
  const file = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(pkg, 'dist'), rel);
  return existsSync(file) ? file : undefined;
}

function isDir(p) {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isProject(dir) {
  return ['project.json', 'project.json.bak'].some((f) => existsSync(path.join(dir, f)));
}

/** The writable copy of the sample (where: scripts/start-plan.mjs), project.json and its reference images copied. */
function sampleCopy() {
  const home = os.homedir();
  const candidates = [path.join(home, 'Documents', 'Storyreel', 'Lighthouse.storyreel'), path.join(home, 'Storyreel', 'Lighthouse.storyreel')];
  const place = sampleLocation({ home, hasDocuments: isDir(path.join(home, 'Documents')), existingCopies: candidates.filter(isProject) });
  const { dir } = place;
  if (!isProject(dir)) {
    mkdirSync(dir, { recursive: true });
    try {
      copyFileSync(path.join(root, 'examples', 'lighthouse.storyreel', 'project.json'), path.join(dir, 'project.json'), constants.COPYFILE_EXCL);
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    // The reference images the sample's shots move over; never overwritten.
    cpSync(path.join(root, 'examples', 'lighthouse.storyreel', 'media', 'refs'), path.join(dir, 'media', 'refs'), { recursive: true, force: false });
  }
  return place;
}

function shellQuote(p) {
  return /^[\w@%+=:,./~-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

function run(cmd, cmdArgs) {
  const child = spawn(cmd, cmdArgs, { stdio: 'inherit', cwd: root });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    console.error(`storyreel: could not start ${path.basename(cmd)}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

// 1. Build. It takes a second or two and guarantees dist/ matches the sources.
const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: root });
if (build.status !== 0) {
  console.error('storyreel: the build failed (see above), so the app was not started.');
  process.exit(build.status ?? 1);
}

// 2. Desktop app, where Electron is installed. Extra arguments (e.g. a project folder) pass straight through.
const electron = electronBinary();
if (electron) {
  if (args.port) console.log('storyreel: --port is for browser mode; the desktop app serves nothing, so it is not used.');
  run(electron, [root, ...args.passThrough]);
} else {
  // 3. Browser mode instead.
  const named = args.project ?? process.env.STORYREEL_PROJECT;
  let dir;
  let why;
  try {
    if (named) dir = path.resolve(named);
    else ({ dir, why } = sampleCopy());
  } catch (err) {
    console.error(`storyreel: could not prepare the sample project: ${err.message}`);
    process.exit(1);
  }
  console.log(
    [
      '',
      "Electron's binary is not installed on this machine, so the desktop app cannot start. (npm installs it by",
      'downloading it from GitHub, not from the npm registry; that download was blocked or skipped here.)',
      'Browser mode runs the same studio in your web browser:',
      '',
      `  npx storyreel serve ${shellQuote(dir)}${args.port ? ` --port ${args.port}` : ''}`,
      '',
      ...(named ? [] : [`(That folder is ${why}; edits are saved there.)`, '']),
    ].join('\n'),
  );
  if (!process.stdin.isTTY) process.exit(0);

  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = (await rl.question('Start browser mode now? [Y/n] ')).trim().toLowerCase();
  rl.close();
  if (answer !== '' && answer !== 'y' && answer !== 'yes') process.exit(0);
  const cli = path.join(root, 'bin', 'storyreel.mjs');
  if (!existsSync(cli)) {
    console.error(`storyreel: ${path.relative(root, cli)} is missing from this checkout, so browser mode cannot start from here.`);
    process.exit(1);
  }
  run(process.execPath, [cli, 'serve', dir, ...(args.port ? ['--port', args.port] : [])]);
}
