import type { ConflictedFile } from '../workspace/merge-worktree';

/** What the resolver knows about a conflicting merge: the task whose work is merged, and the conflicted files. */
export interface ConflictResolutionInput {
  readonly task: { readonly id: string; readonly title: string; readonly description: string };
  readonly files: ReadonlyArray<ConflictedFile>;
}

/** The resolver's answer: every conflicted file's full merged content, or why it could not resolve them. */
export type ConflictResolution =
  | { readonly resolved: ReadonlyArray<{ readonly path: string; readonly content: string }> }
  | { readonly unresolved: string };

/**
 * Resolves a merge conflict in the merge queue (the manager does this): much cheaper than a whole new
 * attempt, and never trusted alone — the project's checks run on the result before it is kept.
 */
export type ConflictResolver = (input: ConflictResolutionInput, signal: AbortSignal) => Promise<ConflictResolution>;
