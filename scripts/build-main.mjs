// Bundles the Node side with esbuild: our own source; dependencies stay in node_modules (native
// modules such as better-sqlite3 and keytar cannot be bundled, and electron-builder ships production
// dependencies and rebuilds native ones for Electron), except the pure-JS ones the CLI loads on
// every start (see BUNDLED_INTO_CLI).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
};

/**
 * Packages bundled into the CLI's own chunks. From node_modules, zod is ~95 ES module files that
 * Node resolves, reads and compiles one by one on every `co` start; one chunk costs much less
 * (docs/BENCHMARKS.md, "`co list --json`"). Commander is CommonJS, hence the `require` banner.
 */
const BUNDLED_INTO_CLI = new Set(['zod', 'commander']);

/** Leaves every package import external except those in BUNDLED_INTO_CLI. */
const externalPackagesExceptBundled = {
  name: 'external-packages-except-bundled',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === 'entry-point' || path.isAbsolute(args.path)) return undefined;
      const [scope = '', name = ''] = args.path.split('/');
      return BUNDLED_INTO_CLI.has(scope.startsWith('@') ? `${scope}/${name}` : scope) ? undefined : { path: args.path, external: true };
    });
  },
};

/**
 * zod's `z.locales` namespace holds every language's error messages (~360 KB, half of zod); the
 * default English messages are imported on their own (zod/v4/classic/schemas.js), and nothing of
 * ours reads `z.locales`, so the CLI keeps English only. A zod upgrade that moves the files makes
 * this match nothing, which costs start-up time, not correctness.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: "export { default as en } from './en.js';",
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

/**
 * Identifies this build's configuration checking (src-main/cli/config-stamp.ts): a hash of the
 * config schema's sources, the code that reads the file, and zod's version. A record of a
 * successful check made by another build never matches.
 */
async function configSchemaId() {
  const sources = [
    ...(await readdir('src-shared/config')).sort().map((name) => path.join('src-shared/config', name)),
    'src-main/runtime/load-config.ts',
    'src-main/runtime/config-file.ts',
    'src-main/cli/project-context.ts',
    'node_modules/zod/package.json',
  ];
  const hash = createHash('sha256');
  for (const file of sources) hash.update(file).update('\0').update(await readFile(file)).update('\0');
  return hash.digest('hex').slice(0, 32);
}

await rm('dist/main', { recursive: true, force: true });
await Promise.all([
  // Code splitting keeps `co list` from loading the SDK, execa and ws that only run/serve/parse need,
  // and each command's module loads only when that command runs (src-main/cli/command-table.ts).
  build({
    ...common,
    packages: undefined,
    plugins: [externalPackagesExceptBundled, zodEnglishOnly],
    banner: { js: "import { createRequire as __coCreateRequire } from 'node:module'; const require = __coCreateRequire(import.meta.url);" },
    entryPoints: { cli: 'src-main/cli/main.ts' },
    define: { __CO_CONFIG_SCHEMA_ID__: JSON.stringify(await configSchemaId()) },
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    outdir: 'dist/main',
  }),
  // Its metafile (dist/meta/, not packaged) lets a test check every import left external ships with the app.
  build({ ...common, metafile: true, entryPoints: { 'electron-main': 'src-main/electron/main.ts' }, format: 'esm', outExtension: { '.js': '.mjs' }, outdir: 'dist/main' }).then(
    async (result) => {
      await mkdir('dist/meta', { recursive: true });
      await writeFile('dist/meta/electron-main.json', JSON.stringify(result.metafile));
    },
  ),
  // A sandboxed preload must be a single CommonJS file that requires nothing but 'electron'.
  build({ ...common, packages: undefined, external: ['electron'], entryPoints: { preload: 'src-main/electron/preload.ts' }, format: 'cjs', outExtension: { '.js': '.cjs' }, outdir: 'dist/main' }),
]);
console.log('built dist/main (cli.mjs, electron-main.mjs, preload.cjs)');
