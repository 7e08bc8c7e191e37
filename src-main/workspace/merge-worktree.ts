import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gitText, runGit, splitNul } from './git';
import { workspacePaths } from './layout';

/** A file git left with conflict markers, as the resolver sees it. */
export interface ConflictedFile {
  readonly path: string;
  /** The file with <<<<<<< / ||||||| / ======= / >>>>>>> markers (diff3 style: the base is shown too). */
  readonly content: string;
}

/** Files larger than this are not handed to a resolver (it would not fit, and is rarely a text merge). */
const MAX_RESOLVABLE_BYTES = 200_000;

/**
 * A detached checkout owned by one process, where the merge queue checks candidate merges
 * (runs the project's checks on them) and lets the manager resolve conflicts. It is never a branch
 * the user sees; it only ever holds commits the queue is about to publish.
 */
export class MergeWorktree {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly projectDir: string,
    readonly folder: string,
  ) {}

  /** The merge checkout of this process: `.orchestrator/merge/<process id>`. */
  static forProcess(projectDir: string): MergeWorktree {
    return new MergeWorktree(projectDir, path.join(workspacePaths(projectDir).orchestratorDir, 'merge', String(process.pid)));
  }

  /** Puts the checkout exactly at `commit` (no local changes, no untracked files; ignored folders stay warm). */
  async checkout(commit: string): Promise<void> {
    await this.ensure(commit);
    await runGit(this.folder, ['merge', '--abort'], { allowExitCodes: [128] });
    await runGit(this.folder, ['checkout', '-q', '-f', '--detach', commit]);
    await runGit(this.folder, ['clean', '-q', '-fd']);
  }

  /**
   * Merges `theirs` into `ours` in the checkout without committing. Clean: returns null (the merge is
   * staged). Conflicting: returns the conflicted files that are text and small enough to resolve, and
   * `unresolvable` for the rest (binary, deleted on one side, too large).
   */
  async startMerge(ours: string, theirs: string): Promise<{ readonly files: ReadonlyArray<ConflictedFile>; readonly unresolvable: ReadonlyArray<string> } | null> {
    await this.checkout(ours);
    const merged = await runGit(this.folder, ['-c', 'merge.conflictStyle=diff3', 'merge', '--no-commit', '--no-ff', '--no-verify', theirs], {
      allowExitCodes: [1],
      needsIdentity: true,
    });
    if (merged.exitCode === 0) return null;
    const unmerged = splitNul((await runGit(this.folder, ['diff', '--name-only', '--diff-filter=U', '-z'])).stdout);
    const files: ConflictedFile[] = [];
    const unresolvable: string[] = [];
    for (const file of unmerged) {
      const stages = (await gitText(this.folder, ['ls-files', '-u', '-z', '--', file])).split('\0').filter((line) => line !== '');
      const bothSides = stages.some((line) => /\s2\t/.test(line)) && stages.some((line) => /\s3\t/.test(line));
      const content = bothSides ? await readText(path.join(this.folder, file)) : null;
      if (content === null) unresolvable.push(file);
      else files.push({ path: file, content });
    }
    return { files, unresolvable };
  }

  /** Writes resolved contents, refusing any that still hold conflict markers, and commits the merge; returns the commit. */
  async commitResolution(resolved: ReadonlyArray<{ readonly path: string; readonly content: string }>, message: string): Promise<string> {
    for (const file of resolved) {
      const target = path.resolve(this.folder, file.path);
      if (!target.startsWith(`${path.resolve(this.folder)}${path.sep}`)) throw new Error(`The resolution names a file outside the project: ${file.path}`);
      if (hasConflictMarkers(file.content)) throw new Error(`The resolution of ${file.path} still contains conflict markers.`);
      await writeFile(target, file.content);
      await runGit(this.folder, ['add', '--', file.path]);
    }
    const left = splitNul((await runGit(this.folder, ['diff', '--name-only', '--diff-filter=U', '-z'])).stdout);
    if (left.length > 0) throw new Error(`These files are still conflicted: ${left.join(', ')}.`);
    await runGit(this.folder, ['commit', '-q', '--no-verify', '-F', '-'], { input: message, needsIdentity: true });
    return gitText(this.folder, ['rev-parse', 'HEAD']);
  }

  /** Abandons a merge in progress. */
  async abortMerge(): Promise<void> {
    await runGit(this.folder, ['merge', '--abort'], { allowExitCodes: [128] });
  }

  /** Removes the checkout (at close). */
  async remove(): Promise<void> {
    if (this.ready === undefined) return;
    this.ready = undefined;
    await runGit(this.projectDir, ['worktree', 'remove', '--force', this.folder], { allowExitCodes: [128] });
    await rm(this.folder, { recursive: true, force: true });
    await runGit(this.projectDir, ['worktree', 'prune']);
  }

  private ensure(commit: string): Promise<void> {
    this.ready ??= this.create(commit).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async create(commit: string): Promise<void> {
    const exists = await stat(path.join(this.folder, '.git')).then(() => true, () => false);
    if (exists) {
      const usable = await runGit(this.folder, ['rev-parse', '--is-inside-work-tree'], { allowExitCodes: [128] });
      if (usable.exitCode === 0) return;
    }
    await rm(this.folder, { recursive: true, force: true });
    await runGit(this.projectDir, ['worktree', 'prune']);
    await mkdir(path.dirname(this.folder), { recursive: true, mode: 0o700 });
    await runGit(this.projectDir, ['worktree', 'add', '-q', '--detach', this.folder, commit]);
  }
}

/** True when the text has a line that starts a git conflict marker. */
export function hasConflictMarkers(text: string): boolean {
  return /^(<{7}|>{7}|\|{7})( |$)/m.test(text) || /^={7}$/m.test(text);
}

async function readText(file: string): Promise<string | null> {
  const info = await stat(file).catch(() => null);
  if (info === null || !info.isFile() || info.size > MAX_RESOLVABLE_BYTES) return null;
  const buffer = await readFile(file);
  if (buffer.includes(0)) return null;
  return buffer.toString('utf8');
}
