// The decisions `npm start` makes, as pure functions (unit-tested in tests/unit/scripts/start-plan.test.ts):
// which arguments mean what, and where the writable copy of the sample project goes.
import path from 'node:path';

export const SAMPLE_FOLDER = 'Lighthouse.storyreel';

/**
 * `npm start -- [<project folder>] [--port N]`. The port is for browser mode only (the desktop app serves
 * nothing); the rest passes through to Electron unchanged.
 * @param {readonly string[]} args
 * @returns {{ project?: string; port?: string; passThrough: string[]; error?: string }}
 */
export function parseStartArgs(args) {
  /** @type {string[]} */
  const passThrough = [];
  let project;
  let port;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--port' || a.startsWith('--port=')) {
      const value = a === '--port' ? args[++i] : a.slice('--port='.length);
      if (value === undefined || !/^\d+$/.test(value) || Number(value) > 65535) {
        return { passThrough, error: `--port needs a port number (0–65535), not ${value === undefined ? 'nothing' : `"${value}"`}. Nothing was started.` };
      }
      port = value;
      continue;
    }
    if (!a.startsWith('-') && project === undefined) project = a;
    passThrough.push(a);
  }
  return { ...(project !== undefined ? { project } : {}), ...(port !== undefined ? { port } : {}), passThrough };
}

/**
 * Where browser mode keeps its own copy of the sample. The desktop app puts it in the OS's Documents
 * folder; here that is `~/Documents/Storyreel/Lighthouse.storyreel` when `~/Documents` exists, and
 * `~/Storyreel/Lighthouse.storyreel` when it does not (nothing is created in a home that has no Documents
 * folder). A copy made earlier is used wherever it is, so edits never end up split over two copies.
 * @param {{ home: string; hasDocuments: boolean; existingCopies?: readonly string[] }} input
 * @returns {{ dir: string; why: string }}
 */
export function sampleLocation({ home, hasDocuments, existingCopies = [] }) {
  const inDocuments = path.join(home, 'Documents', 'Storyreel', SAMPLE_FOLDER);
  const inHome = path.join(home, 'Storyreel', SAMPLE_FOLDER);
  if (existingCopies.includes(inDocuments)) return { dir: inDocuments, why: 'your copy of the Lighthouse sample from an earlier start' };
  if (existingCopies.includes(inHome)) return { dir: inHome, why: 'your copy of the Lighthouse sample from an earlier start' };
  if (hasDocuments) return { dir: inDocuments, why: 'a new copy of the Lighthouse sample in your Documents folder' };
  return { dir: inHome, why: `a new copy of the Lighthouse sample in your home folder, as ${home} has no Documents folder` };
}
