#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the command works straight from a checkout.
import { register } from 'tsx/esm/api';

register();
// `storyreel … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { run } = await import('../electron/core/cli.ts');
await run(process.argv.slice(2));
