#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the command works straight from a checkout.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../electron/core/cli.ts');
await run(process.argv.slice(2));
