import { describe, expect, it } from 'vitest';
import { describeHeadMovement } from '../../../src-renderer/features/checkpoints/RollbackResultView';

const movement = (commitsSinceCheckpoint: number, commitsNoLongerOnHead = 0, branch: string | null = 'main') => ({
  headMovedSinceCheckpoint: true,
  headMovement: { branch, commitsSinceCheckpoint, commitsNoLongerOnHead },
});

describe('describeHeadMovement', () => {
  it('says nothing when HEAD has not moved', () => {
    expect(describeHeadMovement({ headMovedSinceCheckpoint: false, headMovement: { branch: 'main', commitsSinceCheckpoint: 0, commitsNoLongerOnHead: 0 } }, 'done')).toBeNull();
  });

  it('tells that commits made since stay on the branch while their files go back', () => {
    expect(describeHeadMovement(movement(2), 'done')).toBe(
      'Your branch main had 2 commits after this checkpoint. They are still on main (rollback never moves branches), but the files are back as they were at the checkpoint, so git shows their changes undone as uncommitted changes.',
    );
    expect(describeHeadMovement(movement(1), 'preview')).toBe(
      'Your branch main has 1 commit made after this checkpoint. Rolling back keeps it on main but puts the files back as they were at the checkpoint, so git will show its changes undone as uncommitted changes.',
    );
  });

  it('names commits HEAD lost since the checkpoint, and a detached HEAD', () => {
    expect(describeHeadMovement(movement(0, 3, null), 'done')).toBe(
      '3 commits that were on your detached HEAD at the checkpoint are no longer on it (a reset, rebase or branch switch since); rollback restores files only and does not bring them back.',
    );
  });
});
