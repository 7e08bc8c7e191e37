// Why Electron's sandbox would abort `npm start` on this Linux machine, and the exact fix.
// Chromium's sandbox needs either unprivileged user namespaces or a setuid-root chrome-sandbox
// helper. Ubuntu 23.10+ restricts user namespaces through AppArmor, and the npm-installed
// Electron's chrome-sandbox is not setuid root, so Electron exits at launch with
// "The SUID sandbox helper binary was found, but is not configured correctly".
import { readFileSync, statSync } from 'node:fs';

/** Reads a /proc flag; undefined when the file does not exist. */
function readFlag(file, read) {
  try {
    return read(file).trim();
  } catch {
    return undefined;
  }
}

/**
 * The problem and its fix as text, or null when Electron can sandbox itself here.
 * `io` is for tests: `stat(path)` like fs.statSync, `read(path)` returning the file's text, `uid`.
 */
export function linuxSandboxProblem(sandboxPath, io = { stat: statSync, read: (file) => readFileSync(file, 'utf8'), uid: process.getuid?.() }) {
  let helperReady = false;
  try {
    const stat = io.stat(sandboxPath);
    helperReady = stat.uid === 0 && (stat.mode & 0o4000) !== 0 && (stat.mode & 0o777) === 0o755;
  } catch {
    helperReady = false;
  }
  if (io.uid === 0) {
    return 'Electron refuses to run as root with its sandbox on. Run `npm start` as your own user, or (a throwaway machine only) `npm start -- --no-sandbox`.';
  }
  if (helperReady) return null;
  const apparmorRestricts = readFlag('/proc/sys/kernel/apparmor_restrict_unprivileged_userns', io.read) === '1';
  const namespacesOff = readFlag('/proc/sys/kernel/unprivileged_userns_clone', io.read) === '0';
  if (!apparmorRestricts && !namespacesOff) return null;
  const why = apparmorRestricts
    ? 'AppArmor restricts unprivileged user namespaces here (Ubuntu 23.10 and later)'
    : 'unprivileged user namespaces are turned off here (kernel.unprivileged_userns_clone=0)';
  return [
    `Electron's sandbox cannot start: ${why}, and ${sandboxPath} is not setuid root.`,
    'Fix it once (again after each `npm ci`, which reinstalls Electron):',
    `  sudo chown root:root '${sandboxPath}' && sudo chmod 4755 '${sandboxPath}'`,
    'The installed .deb package sets this up itself.',
  ].join('\n');
}
