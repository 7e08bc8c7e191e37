import { mkdir, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import type { AcquiredWorkspace, AttemptWorkspaces } from './attempt-workspaces';
import { assertValidBranchName, gitText, runGit, splitNul } from './git';
import { assertGitRoot, workspacePaths } from './layout';
import { tryLockSlot, unlockSlot } from './slot-lock';
import { checkOutSubmodules } from './submodules';
import { commitAllChanges } from './worktrees';

/**
 * The worktree pool: one git worktree per worker slot under `.orchestrator/pool/slot-N`, made the
 * first time a slot is needed and kept between attempts and runs. An attempt re-points a free slot to
 * its own new branch at its base (`checkout -f -B`, `clean -ffd`), so its cost follows the change
 * since the slot's last attempt, not the size of the repository, and ignored folders (node_modules,
 * .venv, target/) stay warm. A slot that cannot be re-pointed cleanly is removed and made again.
 */

/** Upper bound on slot numbers tried: far above any worker count, so running out means locks are broken. */
const MAX_SLOTS = 256;

/** What the pool hands back to `release`. */
interface SlotHandle {
  readonly slot: number;
  readonly lockFile: string;
}

/** `<project>/.orchestrator/pool`. */
export function poolDir(projectDir: string): string {
  return path.join(workspacePaths(projectDir).orchestratorDir, 'pool');
}

/** The folder of slot `slot` (1-based). */
export function slotPath(projectDir: string, slot: number): string {
  return path.join(poolDir(projectDir), `slot-${slot}`);
}

/** The lock file of slot `slot`, next to its folder (never inside it: `git clean` would see it). */
export function slotLockFile(projectDir: string, slot: number): string {
  return `${slotPath(projectDir, slot)}.lock`;
}

/** Options of the pool. */
export interface WorktreePoolOptions {
  /** Told when a slot is made or replaced (and why), for logs and tests. */
  readonly onSlotEvent?: (event: SlotEvent) => void;
}

/** What happened to a slot on acquire. */
export type SlotEvent =
  | { readonly kind: 'reused'; readonly slot: number }
  | { readonly kind: 'created'; readonly slot: number }
  | { readonly kind: 'replaced'; readonly slot: number; readonly reason: string };

/** A pool of worktrees for `projectDir`, as the pipeline's `AttemptWorkspaces`. */
export function worktreePool(projectDir: string, options: WorktreePoolOptions = {}): AttemptWorkspaces {
  return {
    async acquire(request): Promise<AcquiredWorkspace> {
      await assertGitRoot(projectDir);
      await assertValidBranchName(projectDir, request.branch);
      await mkdir(poolDir(projectDir), { recursive: true, mode: 0o700 });
      const handle = await lockFreeSlot(projectDir, request.attemptId);
      const folder = slotPath(projectDir, handle.slot);
      try {
        const repointed = await repointSlot(projectDir, folder, request);
        const name = `slot-${handle.slot}`;
        const withSubmodules = async (note: string): Promise<string> => {
          const problem = await checkOutSubmodules(folder, projectDir);
          return problem === null ? note : `${note} Note: ${problem}.`;
        };
        if (repointed === true) {
          options.onSlotEvent?.({ kind: 'reused', slot: handle.slot });
          const note = await withSubmodules(`Workspace: pooled worktree ${name} re-pointed to ${request.branch}.`);
          return { path: folder, branch: request.branch, baseCommit: request.baseCommit, created: false, handle, note };
        }
        await recreateSlot(projectDir, folder, request);
        options.onSlotEvent?.(repointed === 'absent' ? { kind: 'created', slot: handle.slot } : { kind: 'replaced', slot: handle.slot, reason: repointed });
        const note = await withSubmodules(repointed === 'absent' ? `Workspace: pooled worktree ${name} made (its folder did not exist).` : `Workspace: pooled worktree ${name} made again: ${repointed}.`);
        return { path: folder, branch: request.branch, baseCommit: request.baseCommit, created: true, handle, note };
      } catch (error) {
        await unlockSlot(handle.lockFile);
        throw error;
      }
    },

    async release(workspace, releaseOptions): Promise<void> {
      const handle = workspace.handle as SlotHandle | undefined;
      try {
        await parkSlot(workspace.path, { saveLeftovers: releaseOptions?.saveLeftovers ?? true });
      } finally {
        if (handle !== undefined) await unlockSlot(handle.lockFile);
      }
    },
  };
}

/** Locks the lowest-numbered slot that is free (or whose owner died). */
async function lockFreeSlot(projectDir: string, attemptId: string): Promise<SlotHandle> {
  for (let slot = 1; slot <= MAX_SLOTS; slot += 1) {
    const lockFile = slotLockFile(projectDir, slot);
    if (await tryLockSlot(lockFile, attemptId)) return { slot, lockFile };
  }
  throw new Error(`All ${MAX_SLOTS} worktree pool slots in ${poolDir(projectDir)} are locked. Stop other runs on this project, then run \`co clean\`.`);
}

/**
 * Leaves a slot after its attempt: uncommitted work (a failed attempt's) is committed to the
 * attempt's branch, as a removed worktree's would be (unless `saveLeftovers` is false: the caller
 * committed the work already), and HEAD is detached so the branch can be deleted while the slot
 * keeps its files (and warm ignored folders) for the next attempt, whose re-point clears the rest.
 */
export async function parkSlot(folder: string, options: { readonly saveLeftovers?: boolean } = {}): Promise<void> {
  const onBranch = await runGit(folder, ['symbolic-ref', '-q', 'HEAD'], { allowExitCodes: [1, 128] }).catch(() => null);
  if (onBranch === null || onBranch.exitCode !== 0) return;
  const saved = options.saveLeftovers === false ? null : await commitAllChanges(folder, 'orchestrator: uncommitted work saved before the workspace was given back\n');
  // Detach by moving HEAD alone (the files are already that commit): `checkout --detach` would refresh the whole index.
  const head = saved ?? (await gitText(folder, ['rev-parse', 'HEAD']));
  await runGit(folder, ['update-ref', '--no-deref', '-m', 'orchestrator: workspace given back', 'HEAD', head]);
}

/**
 * Re-points an existing slot to a new branch at the base: leftover merge/rebase/cherry-pick state
 * and a stale index.lock removed, `checkout -f -B`, `clean -ffd` (ignored files kept), then checked
 * to be exactly the base. True when that worked; 'absent' when there is no slot yet; otherwise why
 * the slot must be replaced.
 */
async function repointSlot(projectDir: string, folder: string, request: { readonly branch: string; readonly baseCommit: string }): Promise<true | 'absent' | string> {
  const gitDirResult = await runGit(folder, ['rev-parse', '--absolute-git-dir', '--show-toplevel'], { allowExitCodes: [128] }).catch(() => null);
  if (gitDirResult === null) return 'absent';
  const [gitDir = '', topLevel = ''] = gitDirResult.stdout.trim().split('\n');
  if (gitDirResult.exitCode !== 0 || !(await sameFolder(topLevel, folder)) || !(await isWorktreeAdminDirOf(projectDir, gitDir))) {
    return 'its folder is no longer a worktree of this repository';
  }
  await clearLeftoverState(gitDir);
  const checkout = await runGit(folder, ['checkout', '-q', '-f', '-B', request.branch, request.baseCommit], { allowExitCodes: [1, 128] });
  if (checkout.exitCode !== 0) return `git checkout failed there: ${checkout.stderr.trim()}`;
  const clean = await runGit(folder, ['clean', '-q', '-ffd'], { allowExitCodes: [1, 128] });
  if (clean.exitCode !== 0) return `git clean failed there: ${clean.stderr.trim()}`;
  // One `status` says both where HEAD is (its `# branch.oid` header) and whether anything differs from it.
  // Submodules are brought to the recorded commits afterwards (submodules.ts), so their state is not looked at here.
  const status = await runGit(folder, ['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=normal', '--ignore-submodules=all'], { allowExitCodes: [128] });
  if (status.exitCode !== 0) return `git status failed there: ${status.stderr.trim()}`;
  const entries = splitNul(status.stdout);
  if (!entries.includes(`# branch.oid ${request.baseCommit}`)) return 'it is not at the base commit after checkout';
  if (entries.some((entry) => !entry.startsWith('# '))) return 'it still differs from the base commit after checkout and clean';
  return true;
}

/** Files git leaves behind when a command stopped half-way (a killed agent's merge, rebase or commit). */
const LEFTOVER_STATE = ['index.lock', 'HEAD.lock', 'MERGE_HEAD', 'MERGE_MSG', 'MERGE_MODE', 'MERGE_AUTOSTASH', 'AUTO_MERGE', 'CHERRY_PICK_HEAD', 'REVERT_HEAD', 'REBASE_HEAD', 'BISECT_LOG', 'BISECT_START', 'BISECT_TERMS', 'BISECT_EXPECTED_REV', 'BISECT_ANCESTORS_OK', 'BISECT_NAMES', 'sequencer', 'rebase-merge', 'rebase-apply'];

/** Removes half-done operations from a slot's own git folder (the slot's lock says no git process of ours runs there). */
async function clearLeftoverState(gitDir: string): Promise<void> {
  await Promise.all(LEFTOVER_STATE.map((name) => rm(path.join(gitDir, name), { recursive: true, force: true })));
}

/** Removes whatever is at the slot's folder (worktree, plain folder or nothing) and adds a fresh worktree there. */
async function recreateSlot(projectDir: string, folder: string, request: { readonly branch: string; readonly baseCommit: string }): Promise<void> {
  await runGit(projectDir, ['worktree', 'remove', '-f', '-f', folder], { allowExitCodes: [128] });
  await rm(folder, { recursive: true, force: true });
  // -f: the path may still be registered (its folder deleted by hand); `git worktree prune` in recovery tidies such entries.
  await runGit(projectDir, ['worktree', 'add', '-q', '-f', '-B', request.branch, folder, request.baseCommit]);
}

async function isWorktreeAdminDirOf(projectDir: string, gitDir: string): Promise<boolean> {
  const common = await commonGitDir(projectDir);
  if (common === null) return false;
  return sameFolder(path.dirname(gitDir), path.join(common, 'worktrees'));
}

/** The repository's own git folder (`<project>/.git`), asked once per project and process. */
const commonGitDirs = new Map<string, Promise<string | null>>();

function commonGitDir(projectDir: string): Promise<string | null> {
  let found = commonGitDirs.get(projectDir);
  if (found === undefined) {
    found = gitText(projectDir, ['rev-parse', '--path-format=absolute', '--git-common-dir']).catch(() => null);
    commonGitDirs.set(projectDir, found);
    // A failure is not remembered: the next acquire asks again.
    void found.then((dir) => (dir === null ? commonGitDirs.delete(projectDir) : undefined));
  }
  return found;
}

async function sameFolder(a: string, b: string): Promise<boolean> {
  if (a === '' || b === '') return false;
  const [realA, realB] = await Promise.all([realpath(a).catch(() => path.resolve(a)), realpath(b).catch(() => path.resolve(b))]);
  return realA === realB;
}
