import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/store/database';
import { MIGRATIONS } from '../../../src-main/store/migrations';
import { Store } from '../../../src-main/store/store';
import { temporaryDatabasePath } from '../engine/helpers';

describe('migration 6: task tags', () => {
  it('upgrades a version-5 database in place: existing tasks get no tags', () => {
    const file = temporaryDatabasePath();
    const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 5) });
    old.prepare(`INSERT INTO tasks (id, id_key, title, priority, priority_rank, status, created_at, updated_at) VALUES ('1', '1', 'Old task', 'medium', 1, 'pending', 1, 1)`).run();
    old.close();
    const store = Store.open(file);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(store.tasks.get('1')?.tags).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('stores tags on insert and replaces them on edit', () => {
    const store = Store.open(temporaryDatabasePath());
    try {
      const base = { parentId: null, description: '', details: '', testStrategy: '', acceptanceCriteria: [], priority: 'medium' as const, status: 'pending' as const, contextFiles: [], hints: [], sourceRef: null };
      store.write(() => store.tasks.insert({ ...base, id: '1', title: 'Tagged', tags: ['bug', 'ui'] }, 1));
      expect(store.tasks.get('1')?.tags).toEqual(['bug', 'ui']);
      store.write(() => store.tasks.updateFields('1', { tags: ['docs'] }, 2));
      expect(store.tasks.get('1')?.tags).toEqual(['docs']);
    } finally {
      store.close();
    }
  });
});
