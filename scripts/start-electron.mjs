// `npm start`: launches the desktop app. The native modules (better-sqlite3, keytar) are built
// for Node by `npm ci` (the CLI and the tests need that build); Electron has its own ABI. So this
// rebuilds them for Electron, runs the app, and puts the Node build back when the app exits.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const NATIVE = ['better-sqlite3', 'keytar'];
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  return result.status ?? 1;
}

if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`npm start: Electron's installer and @electron/rebuild need Node 22.12 or newer (this is ${process.versions.node}). The CLI and \`co serve\` work on this Node.`);
  process.exit(1);
}

let electronPath;
try {
  electronPath = require('electron');
} catch (error) {
  console.error(`npm start: the Electron binary is not available (${error instanceof Error ? error.message : String(error)}). Run \`npx install-electron\` with internet access, or use \`npx co serve\` for the browser version.`);
  process.exit(1);
}

if (run('npx', ['electron-rebuild', '--force', '--only', NATIVE.join(',')]) !== 0) {
  console.error('npm start: rebuilding better-sqlite3 and keytar for Electron failed; see the output above.');
  process.exit(1);
}
const status = run(electronPath, ['.']);
if (run('npm', ['rebuild', ...NATIVE]) !== 0) {
  console.error(`npm start: could not rebuild ${NATIVE.join(' and ')} for Node again; run \`npm rebuild ${NATIVE.join(' ')}\` before using \`co\` or the tests.`);
}
process.exit(status);
