import { describe, expect, it } from 'vitest';
import { priorityFromNumber, priorityRank } from '../../../src-shared/domain/priority';
import { NewTaskSchema } from '../../../src-shared/domain/task';
import { compareTaskIds } from '../../../src-shared/domain/task-id';
import { parseAnyStatus, TASK_STATUSES, toSeedStatus, toTaskMasterStatus } from '../../../src-shared/domain/task-status';
import { AnyPrioritySchema, TaskIdSchema, TaskStatusSchema } from '../../../src-shared/domain/field-schemas';

describe('task statuses', () => {
  it('map onto the seeds’ Python API and CLI names', () => {
    expect(toSeedStatus('ready')).toBe('available');
    expect(toSeedStatus('review')).toBe('in_progress');
    expect(toSeedStatus('blocked')).toBe('failed');
    expect(toTaskMasterStatus('done')).toBe('completed');
    expect(toTaskMasterStatus('claimed')).toBe('in-progress');
    for (const status of TASK_STATUSES) expect(toSeedStatus(status)).toBeTypeOf('string');
  });

  it('parse our names and the seeds’ names, and reject others with the valid list', () => {
    expect(parseAnyStatus('completed')).toBe('done');
    expect(parseAnyStatus('in-progress')).toBe('in_progress');
    expect(parseAnyStatus('available')).toBe('pending');
    expect(parseAnyStatus('toString')).toBeUndefined();
    const result = TaskStatusSchema.safeParse('finished');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('expected one of pending, ready');
  });
});

describe('priorities', () => {
  it('accept names and the Python API’s 1-10, mapped', () => {
    expect(AnyPrioritySchema.parse('high')).toBe('high');
    expect(AnyPrioritySchema.parse(10)).toBe('high');
    expect(AnyPrioritySchema.parse(5)).toBe('medium');
    expect(AnyPrioritySchema.parse(1)).toBe('low');
    expect(priorityFromNumber(8)).toBe('high');
    expect(priorityRank('high')).toBeGreaterThan(priorityRank('low'));
  });

  it('reject anything else with a message that says what is allowed', () => {
    for (const bad of ['urgent', 0, 11, 2.5]) {
      const result = AnyPrioritySchema.safeParse(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/high, medium, low or/);
    }
  });
});

describe('task ids', () => {
  it('sort naturally', () => {
    expect(['10', '2', '1.10', '1.2', '1', 'b', 'a'].sort(compareTaskIds)).toEqual(['1', '1.2', '1.10', '2', '10', 'a', 'b']);
  });

  it('refuse unsafe ids', () => {
    expect(TaskIdSchema.safeParse('../etc').success).toBe(false);
    expect(TaskIdSchema.safeParse('').success).toBe(false);
    expect(TaskIdSchema.safeParse('3.1').success).toBe(true);
  });
});

describe('new task input', () => {
  it('fills defaults', () => {
    const task = NewTaskSchema.parse({ title: '  Write the parser ' });
    expect(task).toMatchObject({ title: 'Write the parser', priority: 'medium', dependencies: [], deferred: false, sourceRef: null });
  });

  it('rejects unknown fields and an empty title', () => {
    expect(NewTaskSchema.safeParse({ title: 'x', colour: 'red' }).success).toBe(false);
    expect(NewTaskSchema.safeParse({ title: '   ' }).error?.issues[0]?.message).toBe('a task needs a title');
  });
});
