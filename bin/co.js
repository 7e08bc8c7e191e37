#!/usr/bin/env node
// The `co` executable: runs the built CLI, or says how to build it.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = fileURLToPath(new URL('../dist/main/cli.mjs', import.meta.url));
if (!existsSync(entry)) {
  console.error('co: the command line is not built yet. Run `npm run build` in the claude-orchestrator folder first.');
  process.exit(1);
}
await import(pathToFileURL(entry).href);
