// `npm test`: everything this machine can run — typecheck, unit and integration tests (vitest, real
// ffmpeg), end-to-end tests in Chromium against the browser host (Playwright), and the desktop app's test
// where an Electron binary exists. Prints what it skipped and why, then one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const reports = path.join(root, 'test-results', 'reports');
mkdirSync(reports, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const skipped = [];
const failures = [];
const failedTests = [];
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(label, cmd, args, env = {}) {
  console.log(`\n━━ ${label} ━━`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (res.status !== 0) failures.push(`${label} (exit ${res.status ?? res.signal})`);
  return res.status === 0;
}

function which(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

function countVitest(file) {
  if (!existsSync(file)) return;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  for (const file of r.testResults ?? []) {
    const rel = path.relative(root, file.name);
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'failed') failedTests.push(`${rel} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    }
    // A file that failed to load has no assertion results, only a message.
    if (file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed')) {
      failedTests.push(`${rel}: ${firstLine(file.message)}`);
    }
  }
}

function firstLine(text) {
  return String(text ?? '').split('\n').find((l) => l.trim())?.trim().slice(0, 300) ?? '';
}

function countPlaywright(file) {
  if (!existsSync(file)) return;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status === 'skipped') {
          totals.skipped += 1;
          const reason = test.annotations?.find((a) => a.type === 'skip')?.description;
          skipped.push(`${spec.title}: ${reason ?? 'skipped'}`);
        } else if (test.status === 'expected' || test.status === 'flaky') totals.passed += 1;
        else {
          totals.failed += 1;
          const err = test.results?.at(-1)?.error?.message;
          failedTests.push(`${spec.file} › ${spec.title}: ${firstLine(err?.replace(/\x1b\[[0-9;]*m/g, ''))}`);
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of r.suites ?? []) walk(suite);
}

const ffmpeg = process.env.STORYREEL_FFMPEG ?? which('ffmpeg');
const chromium = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

run('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);

const vitestJson = path.join(reports, 'vitest.json');
if (!ffmpeg) {
  const why = 'ffmpeg is not installed (apt-get install -y ffmpeg), so the integration tests cannot run';
  if (process.env.CI) failures.push(why);
  skipped.push(`integration tests: ${why}`);
  run('unit tests', bin('vitest'), ['run', 'tests/unit', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
} else {
  run('unit + integration tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
}
countVitest(vitestJson);

run('build', process.execPath, ['scripts/build.mjs']);

if (!chromium || !ffmpeg) {
  const why = !chromium ? 'Chromium is not installed (apt-get install -y chromium)' : 'ffmpeg is missing';
  if (process.env.CI) failures.push(`e2e: ${why}`);
  skipped.push(`e2e tests: ${why}`);
} else {
  const json = path.join(reports, 'e2e.json');
  run('e2e tests (Chromium, browser host)', bin('playwright'), ['test', '-c', 'playwright.config.ts', '--reporter=list,json'], {
    CHROMIUM_PATH: chromium,
    PLAYWRIGHT_JSON_OUTPUT_NAME: json,
  });
  countPlaywright(json);
}

if (existsSync(path.join(root, 'playwright.electron.config.ts'))) {
  const json = path.join(reports, 'electron.json');
  const args = ['test', '-c', 'playwright.electron.config.ts', '--reporter=list,json'];
  // The Electron window needs a display. On a Linux machine without one (CI), xvfb-run provides it, so
  // where the Electron binary exists the desktop test really runs instead of skipping for want of a screen.
  const xvfb = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY ? which('xvfb-run') : undefined;
  const [cmd, cmdArgs] = xvfb ? [xvfb, ['-a', bin('playwright'), ...args]] : [bin('playwright'), args];
  run(`desktop app tests (Electron${xvfb ? ', under xvfb-run' : ''})`, cmd, cmdArgs, { PLAYWRIGHT_JSON_OUTPUT_NAME: json });
  countPlaywright(json);
}

console.log('\n━━ summary ━━');
for (const s of skipped) console.log(`skipped — ${s}`);
for (const f of failures) console.log(`FAILED — ${f}`);
for (const t of failedTests) console.log(`  ✗ ${t}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = failures.length || totals.failed ? 1 : 0;
