import { describe, expect, it } from 'vitest';
import { countByStatus, filterTasks, groupByStatus, parseLines } from '../../../src-renderer/features/tasks/filters';
import { kindBadge, stripAnsi } from '../../../src-renderer/features/runs/log-format';
import type { TaskStatus } from '../../../src-shared/domain/task-status';

const task = (id: string, title: string, status: TaskStatus, description = '') => ({ id, title, status, description });
const tasks = [task('10', 'Write docs', 'pending'), task('2', 'Set up database', 'done', 'SQLite with WAL'), task('1', 'Design schema', 'ready')];

describe('task filters', () => {
  it('returns every task in natural id order without a filter', () => {
    expect(filterTasks(tasks, { status: 'all', search: '' }).map((entry) => entry.id)).toEqual(['1', '2', '10']);
  });

  it('narrows by status', () => {
    expect(filterTasks(tasks, { status: 'done', search: '' }).map((entry) => entry.id)).toEqual(['2']);
  });

  it('searches id, title and description, every word, ignoring case', () => {
    expect(filterTasks(tasks, { status: 'all', search: 'wal' }).map((entry) => entry.id)).toEqual(['2']);
    expect(filterTasks(tasks, { status: 'all', search: 'DESIGN schema' }).map((entry) => entry.id)).toEqual(['1']);
    expect(filterTasks(tasks, { status: 'all', search: 'design docs' })).toEqual([]);
    expect(filterTasks(tasks, { status: 'all', search: '10' }).map((entry) => entry.id)).toEqual(['10']);
  });

  it('combines status and search', () => {
    expect(filterTasks(tasks, { status: 'pending', search: 'database' })).toEqual([]);
  });

  it('groups by status in life-cycle order and counts', () => {
    const groups = groupByStatus(tasks);
    expect(groups[0]?.status).toBe('pending');
    expect(groups.find((group) => group.status === 'done')?.tasks.map((entry) => entry.id)).toEqual(['2']);
    expect(countByStatus(tasks)).toMatchObject({ pending: 1, ready: 1, done: 1, failed: 0 });
  });

  it('reads acceptance criteria one per non-empty line', () => {
    expect(parseLines('  first \n\n second\n   ')).toEqual(['first', 'second']);
  });
});

describe('log formatting', () => {
  it('strips terminal colour codes', () => {
    expect(stripAnsi('\u001b[31merror\u001b[0m: \u001b[1;32mok\u001b[0m')).toBe('error: ok');
    expect(stripAnsi('\u001b]0;title\u0007plain')).toBe('plain');
  });

  it('gives tool use and errors their own badges', () => {
    expect(kindBadge('tool_use')).toEqual({ label: 'tool', tone: 'tool' });
    expect(kindBadge('stderr').tone).toBe('error');
    expect(kindBadge('assistant.other').label).toBe('other');
  });
});
