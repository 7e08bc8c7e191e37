import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/store/database';
import { MIGRATIONS } from '../../../src-main/store/migrations';
import { Store } from '../../../src-main/store/store';
import { temporaryDatabasePath } from '../engine/helpers';

describe('migration 4: feedback, lessons and run summaries', () => {
  it('upgrades a version-3 database in place and creates STRICT tables that reject wrong values', () => {
    const file = temporaryDatabasePath();
    openDatabase(file, { migrations: MIGRATIONS.slice(0, 3) }).close();
    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(() => db.prepare("INSERT INTO feedback (kind, cause, created_at) VALUES ('gossip', 'x', 1)").run()).toThrow(/CHECK constraint/);
      expect(() => db.prepare("INSERT INTO feedback (kind, cause, created_at) VALUES ('check', 'x', 'yesterday')").run()).toThrow(/cannot store TEXT value in INTEGER column/);
      db.prepare("INSERT INTO lessons (key, text, source, created_at, updated_at) VALUES ('k', 't', 's', 1, 1)").run();
      expect(() => db.prepare("INSERT INTO lessons (key, text, source, created_at, updated_at) VALUES ('k', 't2', 's', 1, 1)").run()).toThrow(/UNIQUE/);
    } finally {
      db.close();
    }
  });

  it('feedback naming a task, attempt or run that is gone keeps the signal with the reference cleared', () => {
    const store = Store.open(temporaryDatabasePath());
    try {
      store.write(() =>
        store.feedback.insertMany([{ runId: 'no-such-run', taskId: '42', attemptId: 'gone', model: 'm', kind: 'check', cause: 'npm test', detail: 'd', files: ['a.ts'], errorClass: 'recoverable', createdAt: 1 }]),
      );
      expect(store.feedback.listByKinds(['check'])).toEqual([
        { id: 1, runId: null, taskId: null, attemptId: null, model: 'm', kind: 'check', cause: 'npm test', detail: 'd', files: ['a.ts'], errorClass: 'recoverable', createdAt: 1 },
      ]);
      expect(store.feedback.count()).toBe(1);
    } finally {
      store.close();
    }
  });
});
