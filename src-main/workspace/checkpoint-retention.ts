import type { Checkpoint } from './checkpoints';

/** How many checkpoints to keep (the config's `checkpoints` section). */
export interface CheckpointRetention {
  /** The newest this many are always kept. */
  readonly keepLast: number;
  /** Checkpoints younger than this many days are always kept; 0 keeps none for their age. */
  readonly keepDays: number;
}

/** Why a checkpoint is kept: among the newest `keepLast`, younger than `keepDays`, or the undo of the last rollback. */
export type KeptBecause = 'newest' | 'recent' | 'undo';

/** A checkpoint and why retention keeps it; none means the next checkpoint prunes it. */
export interface RetainedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly keptBecause: ReadonlyArray<KeptBecause>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What retention keeps of these checkpoints (newest first, as `listCheckpoints` gives them):
 * a checkpoint goes only when it is neither among the newest `keepLast` nor younger than
 * `keepDays`, and never when it is the newest 'rollback' checkpoint (the undo of the last rollback).
 */
export function retentionOf(checkpoints: ReadonlyArray<Checkpoint>, policy: CheckpointRetention, now: Date): RetainedCheckpoint[] {
  const undo = checkpoints.find((checkpoint) => checkpoint.kind === 'rollback');
  const cutoff = now.getTime() - policy.keepDays * DAY_MS;
  return checkpoints.map((checkpoint, index) => {
    const reasons: KeptBecause[] = [];
    if (index < policy.keepLast) reasons.push('newest');
    if (policy.keepDays > 0 && checkpoint.createdAt.getTime() >= cutoff) reasons.push('recent');
    if (checkpoint === undo) reasons.push('undo');
    return { checkpoint, keptBecause: reasons };
  });
}

/** One line that says what retention keeps, for `co list-checkpoints` and the app. */
export function describeRetention(policy: CheckpointRetention): string {
  const days = policy.keepDays > 0 ? ` and every checkpoint from the last ${policy.keepDays} day${policy.keepDays === 1 ? '' : 's'}` : '';
  return `Keeping the newest ${policy.keepLast}${days}, and always the undo of the last rollback (config: checkpoints.keep_last, checkpoints.keep_days).`;
}

/** The policy of the config's `checkpoints` section. */
export function retentionFromConfig(section: { readonly keep_last: number; readonly keep_days: number }): CheckpointRetention {
  return { keepLast: section.keep_last, keepDays: section.keep_days };
}
