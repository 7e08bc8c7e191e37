import { describe, expect, it } from 'vitest';
import type { Task } from '../../../src-shared/domain/task';
import { parseIdList, parsePriority, parseStatus, parseStatusList } from '../../../src-main/cli/cli-options';
import { formatCommanderError } from '../../../src-main/cli/program';
import { formatTable } from '../../../src-main/cli/output';
import { oneLine } from '../../../src-main/cli/cli-errors';
import { pickNextReadyTask } from '../../../src-main/project/next-task';

function task(id: string, fields: Partial<Task> = {}): Task {
  return {
    id, parentId: null, title: `Task ${id}`, description: '', details: '', testStrategy: '', acceptanceCriteria: [], priority: 'medium',
    status: 'ready', statusReason: null, dependencies: [], contextFiles: [], hints: [], sourceRef: null, tags: [], expectsNoChanges: false, result: null, reviewFeedback: null, resumeAttemptId: null,
    attempts: 0, failures: 0, criticalRank: 1, leaseOwner: null, leaseExpiresAt: null, currentAttemptId: null, notBefore: null,
    createdAt: 0, updatedAt: 0, claimedAt: null, startedAt: null, completedAt: null, ...fields,
  };
}

describe('co option parsing and formatting', () => {
  it('parses priorities by name or 1-10 and refuses anything else', () => {
    expect(parsePriority('HIGH')).toBe('high');
    expect(parsePriority('9')).toBe('high');
    expect(parsePriority('5')).toBe('medium');
    expect(parsePriority('1')).toBe('low');
    expect(() => parsePriority('11')).toThrow('--priority must be high, medium, low or a whole number 1-10');
    expect(() => parsePriority('urgent')).toThrow('got "urgent"');
  });

  it("parses statuses in our names and the seeds' names", () => {
    expect(parseStatus('in-progress')).toBe('in_progress');
    expect(parseStatus('completed')).toBe('done');
    expect(parseStatusList('ready, pending', '--filter-status')).toEqual(['ready', 'pending']);
    expect(() => parseStatus('later', '--filter-status')).toThrow('--filter-status: unknown status "later"');
  });

  it('parses id lists and refuses malformed ids', () => {
    expect(parseIdList('1, 2,3.1', '--depends-on')).toEqual(['1', '2', '3.1']);
    expect(() => parseIdList(',', '--depends-on')).toThrow('--depends-on needs at least one task id');
    expect(() => parseIdList('1,../x', '--depends-on')).toThrow('"../x" is not a task id');
  });

  it("turns commander's errors into one co: line", () => {
    expect(formatCommanderError("error: unknown option '--fil'\n(Did you mean --file?)\n")).toBe(
      "co: unknown option '--fil' (Did you mean --file?) (run `co --help` for usage)\n",
    );
    expect(oneLine('a\n  b\r\nc')).toBe('a b c');
  });

  it('aligns table columns', () => {
    expect(formatTable(['ID', 'TITLE'], [['1', 'One'], ['10', 'Ten']])).toBe('ID  TITLE\n1   One\n10  Ten');
  });

  it('picks the next task as the scheduler ranks: critical path, priority, id; waiting retries last', () => {
    const tasks = [
      task('2', { priority: 'high' }),
      task('10', { priority: 'high' }),
      task('3', { priority: 'low', criticalRank: 3 }),
      task('4', { priority: 'high', criticalRank: 5, notBefore: 2_000 }),
      task('5', { status: 'pending', criticalRank: 9 }),
    ];
    expect(pickNextReadyTask(tasks, 1_000)?.id).toBe('3');
    expect(pickNextReadyTask(tasks, 3_000)?.id).toBe('4');
    expect(pickNextReadyTask(tasks.filter((item) => item.criticalRank === 1), 0)?.id).toBe('2');
    expect(pickNextReadyTask([], 0)).toBeNull();
  });
});
