import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** Claude Code's config folder: CLAUDE_CONFIG_DIR, else ~/.claude. */
export function claudeConfigDir(env: Readonly<Record<string, string | undefined>>): string {
  const configured = env['CLAUDE_CONFIG_DIR'];
  if (configured !== undefined && configured !== '') return configured;
  return path.join(env['HOME'] ?? homedir(), '.claude');
}

/** The folder name Claude Code keeps a working directory's sessions under: every character but letters and digits becomes '-'. */
export function claudeProjectFolderName(cwd: string): string {
  return cwd.replace(/[^a-zA-Z0-9]/g, '-');
}

/**
 * Makes a Claude Code session resumable from `cwd`. Claude Code files each session's transcript
 * under its working directory (`<config>/projects/<cwd with '-'>/<id>.jsonl`); a takeover's pooled
 * slot need not be the folder the attempt ran in. Claude Code 2.1 also finds sessions of the other
 * worktrees of the same repository (seen with 2.1.197), but nothing promises that, so the transcript
 * is copied next to the new folder's sessions when it is not there. Returns false when no transcript
 * of the session exists (Claude Code would say it found no conversation).
 */
export async function makeSessionResumableFrom(configDir: string, sessionId: string, cwd: string): Promise<boolean> {
  if (!/^[A-Za-z0-9-]{1,100}$/.test(sessionId)) return false;
  const projects = path.join(configDir, 'projects');
  const file = `${sessionId}.jsonl`;
  const target = path.join(projects, claudeProjectFolderName(cwd), file);
  if (await isFile(target)) return true;
  const folders = await readdir(projects).catch(() => [] as string[]);
  for (const folder of folders) {
    const source = path.join(projects, folder, file);
    if (!(await isFile(source))) continue;
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await copyFile(source, target);
    return true;
  }
  return false;
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null))?.isFile() ?? false;
}
