// Bundles the Node side with esbuild: our own source only; dependencies stay in node_modules
// (native modules such as better-sqlite3 and keytar cannot be bundled, and electron-builder
// ships production dependencies and rebuilds native ones for Electron).
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
};

await rm('dist/main', { recursive: true, force: true });
await Promise.all([
  // Code splitting keeps `co list` from loading the SDK, execa and ws that only run/serve/parse need.
  build({ ...common, entryPoints: { cli: 'src-main/cli/main.ts' }, format: 'esm', splitting: true, chunkNames: 'chunks/[name]-[hash]', outExtension: { '.js': '.mjs' }, outdir: 'dist/main' }),
  build({ ...common, entryPoints: { 'electron-main': 'src-main/electron/main.ts' }, format: 'esm', outExtension: { '.js': '.mjs' }, outdir: 'dist/main' }),
  // A sandboxed preload must be a single CommonJS file that requires nothing but 'electron'.
  build({ ...common, packages: undefined, external: ['electron'], entryPoints: { preload: 'src-main/electron/preload.ts' }, format: 'cjs', outExtension: { '.js': '.cjs' }, outdir: 'dist/main' }),
]);
console.log('built dist/main (cli.mjs, electron-main.mjs, preload.cjs)');
