import { describe, expect, it } from 'vitest';
import type { Attempt } from '../../../src-shared/domain/attempt';
import { attemptSignals, checkOutputOfFeedback, errorShape, failingLine } from '../../../src-main/feedback/feedback-signals';
import { checkFailureFeedback } from '../../../src-main/pipeline/checks';

function attempt(fields: Partial<Attempt>): Attempt {
  return {
    id: 'a1', taskId: '1', runId: 'r1', number: 1, status: 'failed', backend: 'claude-cli', workerOwner: 'me', sessionId: null, workingDirectory: null,
    worktree: null, branch: null, commitBefore: null, commitAfter: null, exitCode: null, output: null, errorClass: 'recoverable', errorMessage: null,
    usage: { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 }, costUsd: 0, review: null, stage: null, workCommit: null,
    startedAt: 1, finishedAt: 2, ...fields,
  };
}

describe('signals read from an ended attempt', () => {
  it('a failed check: its command is the cause, its failing line the detail (from the feedback the pipeline gave)', () => {
    const feedback = checkFailureFeedback({ ok: false, command: 'npm test', exit: 'exit 1', outputTail: '> test\nFAIL greet.test.js\n  AssertionError: expected "hello" to end with "!"\nTests: 1 failed\n' }, 'on your work');
    const output = checkOutputOfFeedback(feedback);
    expect(output).toContain('AssertionError');
    const signals = attemptSignals(attempt({ status: 'succeeded', errorMessage: 'the check `npm test` failed (exit 1)' }), output);
    expect(signals).toEqual([{ kind: 'check', cause: 'npm test', detail: 'AssertionError: expected "hello" to end with "!"', files: [] }]);
    // On the integration tip, and without the output: the exit stands in for the reason.
    expect(attemptSignals(attempt({ status: 'succeeded', errorMessage: 'the check `make lint` failed on the integration tip with this work merged (exit 2)' }), null)).toEqual([
      { kind: 'check', cause: 'make lint', detail: 'failed (exit 2) (on the integration tip)', files: [] },
    ]);
  });

  it('a merge conflict names its files; review verdicts carry their feedback; other failures their error shape', () => {
    expect(attemptSignals(attempt({ status: 'succeeded', errorMessage: 'merge conflict in src/app.ts, README.md' }), null)).toEqual([
      { kind: 'conflict', cause: 'merge conflict', detail: 'merge conflict in src/app.ts, README.md', files: ['src/app.ts', 'README.md'] },
    ]);
    expect(attemptSignals(attempt({ status: 'succeeded', review: 'request_changes', errorMessage: 'review requested changes: Mention both modules.' }), null)).toEqual([
      { kind: 'review', cause: 'request_changes', detail: 'Mention both modules.', files: [] },
    ]);
    expect(attemptSignals(attempt({ status: 'succeeded', review: 'approve' }), null)).toEqual([{ kind: 'review', cause: 'approve', detail: '', files: [] }]);
    expect(attemptSignals(attempt({ errorClass: 'recoverable', errorMessage: 'timed out after 1800 s' }), null)).toEqual([
      { kind: 'error', cause: 'recoverable: timed out after N s', detail: 'timed out after 1800 s', files: [] },
    ]);
    expect(attemptSignals(attempt({ status: 'interrupted', errorClass: null, errorMessage: 'its worker process died' }), null)[0]).toMatchObject({ kind: 'error', cause: 'interrupted' });
    expect(attemptSignals(attempt({ status: 'cancelled', errorMessage: 'cancelled by the user' }), null)).toEqual([]);
    // Succeeded without a review step: nothing to learn from.
    expect(attemptSignals(attempt({ status: 'succeeded' }), null)).toEqual([]);
  });

  it('the failing line of a check is the first that reads as an error, else the last line', () => {
    expect(failingLine('> build\ncompiling\nsrc/a.ts(3,1): error TS2322: Type string\n')).toBe('src/a.ts(3,1): error TS2322: Type string');
    expect(failingLine('one\nFAIL x.test.js\nthe end\n')).toBe('FAIL x.test.js');
    expect(failingLine('one\ntwo\nthe end\n')).toBe('the end');
    expect(failingLine('\n\n')).toBeNull();
  });

  it('errors of the same shape group together', () => {
    expect(errorShape('worker backend claude-cli crashed: ENOENT /home/u/x.ts at 12:30')).toBe(errorShape('worker backend claude-cli crashed: ENOENT /tmp/y.ts at 9:01'));
    expect(errorShape('the `npm ci` step failed "here"')).toBe('the … step failed …');
  });
});
