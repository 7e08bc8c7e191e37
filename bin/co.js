#!/usr/bin/env node
// The `co` executable: runs the built CLI, or says how to build it.
import { existsSync } from 'node:fs';
import nodeModule from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Node 22.1+ can keep V8's compiled code of the CLI's modules between runs (in the OS temp folder),
// which saves most of their compile time on every start. Node 20 has no such cache: it is skipped.
nodeModule.enableCompileCache?.();

const entry = fileURLToPath(new URL('../dist/main/cli.mjs', import.meta.url));
if (!existsSync(entry)) {
  console.error('co: the command line is not built yet. Run `npm run build` in the claude-orchestrator folder first.');
  process.exit(1);
}
await import(pathToFileURL(entry).href);
