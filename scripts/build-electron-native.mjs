// Builds better-sqlite3 for Electron's ABI into dist/electron-native/, beside (never instead of)
// the Node build in node_modules that `co` and the tests load. The app loads this copy through
// better-sqlite3's `nativeBinding` option (src-main/electron/native-binding.ts); electron-builder
// ships it as resources/native/ (electron-builder.yml `extraResources`). keytar is Node-API, so
// its one build serves Node and Electron alike.
//
// A prebuilt binary is tried first (prebuild-install, needs the internet), then a source build
// with node-gyp against Electron's headers (needs a C++ toolchain and the headers download).
// Skipped when the stamp says the current build matches; `--force` rebuilds anyway.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'electron-native');
const addon = path.join(outDir, 'better_sqlite3.node');
const stampFile = path.join(outDir, 'stamp.json');

const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const sqliteDir = path.dirname(require.resolve('better-sqlite3/package.json'));
const sqliteVersion = JSON.parse(readFileSync(path.join(sqliteDir, 'package.json'), 'utf8')).version;
const arch = process.env['npm_config_arch'] ?? process.arch;
const stamp = { electron: electronVersion, betterSqlite3: sqliteVersion, platform: process.platform, arch };

if (!process.argv.includes('--force') && existsSync(addon) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === JSON.stringify(stamp)) {
  console.log(`build-electron-native: ${path.relative(root, addon)} is current (Electron ${electronVersion}, better-sqlite3 ${sqliteVersion}).`);
  process.exit(0);
}

/** Runs a command in `cwd`, output to the terminal; true when it succeeded. */
function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  return result.status === 0;
}

// Work on a copy, so a failed or interrupted build never touches node_modules' Node build.
const work = mkdtempSync(path.join(tmpdir(), 'co-electron-native-'));
try {
  const copy = path.join(work, 'better-sqlite3');
  cpSync(sqliteDir, copy, { recursive: true, filter: (source) => !source.startsWith(path.join(sqliteDir, 'build')) });
  const target = ['--runtime=electron', `--target=${electronVersion}`, `--arch=${arch}`];
  const prebuilt = run(process.execPath, [require.resolve('prebuild-install/bin.js'), ...target, '--verbose'], copy);
  const built =
    prebuilt ||
    run(process.execPath, [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', '--release', ...target, '--dist-url=https://electronjs.org/headers'], copy);
  const result = path.join(copy, 'build', 'Release', 'better_sqlite3.node');
  if (!built || !existsSync(result)) {
    console.error(
      `build-electron-native: could not get better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${arch}). ` +
        'Both need the internet (the prebuilt binary, or Electron headers for a build with python3 and a C++ compiler); see the output above.',
    );
    process.exit(1);
  }
  mkdirSync(outDir, { recursive: true });
  copyFileSync(result, addon);
  writeFileSync(stampFile, JSON.stringify(stamp));
  console.log(`build-electron-native: wrote ${path.relative(root, addon)} for Electron ${electronVersion} (${prebuilt ? 'prebuilt' : 'built from source'}).`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
