#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the command works straight from a checkout, from any
// folder, and through the symlinks `npm link` makes (Node resolves them to this file, so the imports below
// find the checkout). The checkout's own tsconfig is used, never one in the folder the command runs in.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
// `storyreel … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { run } = await import('../electron/core/cli.ts');
await run(process.argv.slice(2));
