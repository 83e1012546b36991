#!/usr/bin/env node
// The `triage` command. TypeScript runs through tsx's loader, so `npx --no-install triage` works right after
// `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
