// A process that tries to take a project's lock at a signal: prints "ready", waits for "go" on stdin, then
// prints "won <note>" or "busy <message>", and keeps the lock until its stdin closes (so a loser cannot win
// merely by arriving after the winner let go).
import { createInterface } from 'node:readline';
import { acquireProjectLock } from '../../../electron/core/project/lock';

const dir = process.argv[2];
const lines = createInterface({ input: process.stdin });
console.log('ready');
lines.once('line', async () => {
  try {
    const release = await acquireProjectLock(dir);
    console.log(`won ${release.note ?? ''}`);
    lines.once('close', () => void release().then(() => process.exit(0)));
  } catch (err) {
    console.log(`busy ${(err as Error).message}`);
    lines.once('close', () => process.exit(0));
  }
});
