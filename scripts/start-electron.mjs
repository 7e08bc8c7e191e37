// `npm start`: launches the desktop app from this checkout. Needs Node 22.12+ (Electron 45's
// installer), the Electron binary (downloaded by the electron package), and better-sqlite3 built
// for Electron in dist/electron-native/ (built here when missing; the Node build in node_modules
// that `co` and the tests use is never touched). Arguments after `--` go to the app:
// `npm start -- ~/my-app` opens that project.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { linuxSandboxProblem } from './linux-sandbox.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const appArgs = process.argv.slice(2);
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);

if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`npm start: Electron 45's installer needs Node 22.12 or newer (this is ${process.versions.node}). The CLI and \`co serve\` work on this Node.`);
  process.exit(1);
}

let electronPath;
try {
  electronPath = require('electron');
} catch (error) {
  console.error(
    `npm start: the Electron binary is not available (${error instanceof Error ? error.message : String(error)}). Run \`npx install-electron\` with internet access, or use \`npx co serve\` for the browser version.`,
  );
  process.exit(1);
}

if (process.platform === 'linux' && !appArgs.includes('--no-sandbox') && process.env['ELECTRON_DISABLE_SANDBOX'] === undefined) {
  const problem = linuxSandboxProblem(path.join(path.dirname(electronPath), 'chrome-sandbox'));
  if (problem !== null) {
    console.error(`npm start: ${problem}`);
    process.exit(1);
  }
}

const native = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-electron-native.mjs')], { cwd: root, stdio: 'inherit' });
if (native.status !== 0) {
  console.error('npm start: better-sqlite3 for Electron is missing and could not be built; see the output above.');
  process.exit(1);
}

const app = spawnSync(electronPath, ['.', ...appArgs], { cwd: root, stdio: 'inherit' });
process.exit(app.status ?? 1);
