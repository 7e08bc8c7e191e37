import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, SCHEMA_VERSION } from '../../../src-main/store/database';
import { MIGRATIONS } from '../../../src-main/store/migrations';
import { StoreCorruptError, StoreTooNewError } from '../../../src-main/store/store-errors';
import { temporaryDatabasePath } from '../engine/helpers';

describe('openDatabase', () => {
  it('creates the folder and file, runs migrations and records the version, in WAL mode', () => {
    const file = temporaryDatabasePath();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
    const again = openDatabase(file);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    again.close();
  });

  it('migration 1 creates STRICT tables that reject wrong types', () => {
    const db = openDatabase(temporaryDatabasePath(), { migrations: MIGRATIONS.slice(0, 1) });
    const tables = db.prepare<[], { name: string; strict: number }>("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'").all();
    expect(tables.map((table) => table.name).sort()).toEqual(['attempts', 'checkpoints', 'discoveries', 'log_events', 'meta', 'runs', 'task_deps', 'tasks', 'usage']);
    expect(tables.every((table) => table.strict === 1)).toBe(true);
    const insertRun = db.prepare("INSERT INTO runs (id, status, owner, max_workers, started_at) VALUES ('r', 'running', 'o', 'many', 1)");
    expect(() => insertRun.run()).toThrow(/cannot store TEXT value in INTEGER column runs.max_workers/);
    db.close();
  });

  it('runs only the migrations above user_version, in one transaction', () => {
    const file = temporaryDatabasePath();
    openDatabase(file, { migrations: ['CREATE TABLE a (x INTEGER) STRICT;'] }).close();
    const broken = ['CREATE TABLE a (x INTEGER) STRICT;', 'CREATE TABLE b (x INTEGER) STRICT; CREATE TABLE b (y INTEGER);'];
    expect(() => openDatabase(file, { migrations: broken })).toThrow(/table b already exists/);
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'b'").get()).toEqual({ n: 0 });
    raw.close();
  });

  it('refuses a database from a newer version and leaves it unchanged', () => {
    const file = temporaryDatabasePath();
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = readFileSync(file);
    expect(() => openDatabase(file)).toThrow(StoreTooNewError);
    expect(() => openDatabase(file)).toThrow(`has schema version ${SCHEMA_VERSION + 1}, but this version of Claude Orchestrator understands up to ${SCHEMA_VERSION}`);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('reports a corrupt file clearly and never overwrites it', () => {
    const file = temporaryDatabasePath();
    mkdirSync(path.dirname(file), { recursive: true });
    const garbage = Buffer.from('this is not a database, just some text that happens to be here\n'.repeat(20));
    writeFileSync(file, garbage);
    expect(() => openDatabase(file)).toThrow(StoreCorruptError);
    expect(() => openDatabase(file)).toThrow(/is not a readable SQLite database .* left untouched/);
    expect(readFileSync(file).equals(garbage)).toBe(true);
  });

  it('reports a file with a SQLite header but damaged pages', () => {
    const file = temporaryDatabasePath();
    openDatabase(file).close();
    const bytes = readFileSync(file);
    bytes.fill(0xff, 100, Math.min(bytes.length, 4096 * 3));
    writeFileSync(file, bytes);
    expect(() => openDatabase(file)).toThrow(StoreCorruptError);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });
});
