import { chmod, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { createCheckpoint, ensureWorkspace, getCheckpoint, rollback } from '../../../src-main/workspace';
import { writeFiles } from './git-fixtures';
import { pick, type Random } from './fuzz-mutations';
import { MemoryTaskTable } from './memory-tasks';
import { blobId, diskEntries, expectRecoverable, gitAsync, treeEntries } from './rollback-oracle';

/** Text files the tasks share, each with SLOTS editable lines two unchanged lines apart (so edits of different slots never touch). */
const SHARED = ['s0.txt', 'src/s1.txt', 'deep/er/s2.txt'];
const SLOTS = 8;
const LINES = SLOTS * 3;
/** Files only one task may delete or chmod, once. */
const SPARES = ['spare0.txt', 'src/spare1.txt', 'spare2.txt'];
const TOOLS = ['tool0.sh', 'src/tool1.sh'];

interface SlotEdit {
  readonly actor: string;
  readonly value: string;
}

/** What happened to the project since the checkpoint, enough to say what SELECTIVE must produce. */
interface Model {
  /** file → slot → edits in time order. */
  readonly slots: Map<string, Map<number, SlotEdit[]>>;
  readonly createdBy: Map<string, string>;
  readonly deletedBy: Map<string, string>;
  readonly chmodBy: Map<string, string>;
  /** Files the user changed after a task created or deleted them. */
  readonly userTouched: Set<string>;
}

const baseLine = (file: string, line: number): string => `${file} line ${line}`;

function render(file: string, slots: ReadonlyMap<number, string>): string {
  return Array.from({ length: LINES }, (_unused, line) => slots.get((line - 1) / 3) ?? baseLine(file, line)).join('\n') + '\n';
}

/** The slot values on disk after the given edits (each slot's last). */
function currentSlots(model: Model, file: string): Map<number, string> {
  const values = new Map<number, string>();
  for (const [slot, edits] of model.slots.get(file) ?? []) {
    const last = edits.at(-1);
    if (last !== undefined) values.set(slot, last.value);
  }
  return values;
}

function recordEdit(model: Model, file: string, slot: number, edit: SlotEdit): void {
  const slots = model.slots.get(file) ?? new Map<number, SlotEdit[]>();
  model.slots.set(file, slots);
  slots.set(slot, [...(slots.get(slot) ?? []), edit]);
}

/**
 * One SELECTIVE round on a fresh repository: tasks commit their work (edits of shared files in
 * separate slots, new files, deletions, chmod, symlinks), the user edits afterwards (free slots,
 * sometimes a task's slot or file, ignored files, a deleted file re-made as ignored), then a
 * random set of tasks is rolled back and the result is compared with what the model predicts.
 */
export async function runSelectiveRound(dir: string, random: Random, where: string): Promise<void> {
  const base: Record<string, string> = { '.gitignore': '*.log\n', 'README.md': 'readme\n' };
  for (const file of SHARED) base[file] = render(file, new Map());
  for (const file of [...SPARES, ...TOOLS]) base[file] = `${file} content\n`;
  await writeFiles(dir, base);
  await ensureWorkspace(dir);
  await gitAsync(dir, ['add', '-A']);
  await gitAsync(dir, ['commit', '-q', '-m', 'base']);
  const tasks = new MemoryTaskTable();
  const taskIds = Array.from({ length: 2 + Math.floor(random() * 3) }, (_unused, index) => `t${index + 1}`);
  for (const id of taskIds) tasks.add(id);
  const checkpoint = await createCheckpoint(dir, { description: 'before the tasks', kind: 'run', taskSnapshot: tasks.snapshotTasks() });
  const model: Model = { slots: new Map(), createdBy: new Map(), deletedBy: new Map(), chmodBy: new Map(), userTouched: new Set() };
  const log: string[] = [];

  for (const taskId of taskIds) {
    const before = (await gitAsync(dir, ['rev-parse', 'HEAD'])).trim();
    for (let step = 0, steps = 1 + Math.floor(random() * 3); step < steps; step += 1) log.push(await taskStep(dir, random, model, taskId));
    await gitAsync(dir, ['add', '-A']);
    await gitAsync(dir, ['commit', '-q', '--allow-empty', '-m', `task ${taskId}`]);
    tasks.finish(taskId, []);
    tasks.recordCommit(taskId, before, (await gitAsync(dir, ['rev-parse', 'HEAD'])).trim());
  }
  for (let step = 0, steps = 1 + Math.floor(random() * 4); step < steps; step += 1) log.push(await userStep(dir, random, model));

  const selected = taskIds.filter(() => random() < 0.5);
  if (selected.length === 0) selected.push(pick(random, taskIds));
  const history = `${where}; ${log.join(', ')}; rolling back ${selected.join(', ')}`;
  const before = await diskEntries(dir);
  const result = await rollback(dir, { strategy: 'SELECTIVE', checkpointId: checkpoint.id, taskIds: selected }, tasks);
  const after = await diskEntries(dir);

  const expected = expectedEntries(model, new Set(selected), before);
  expect([...new Set(result.unrevertedFiles.map((file) => file.path))].sort(), `files reported as not undone; ${history}`).toEqual([...expected.conflicts].sort());
  expect(Object.fromEntries(after), history).toEqual(Object.fromEntries(expected.entries));
  const safety = await treeEntries(dir, (await getCheckpoint(dir, result.safetyCheckpointId))?.tree ?? '');
  expectRecoverable(before, after, safety, history);
  for (const id of taskIds) expect(tasks.statusOf(id), history).toBe(selected.includes(id) ? 'pending' : 'done');
}

async function taskStep(dir: string, random: Random, model: Model, taskId: string): Promise<string> {
  const roll = random();
  if (roll < 0.55) {
    const file = pick(random, SHARED);
    const slot = Math.floor(random() * SLOTS);
    const value = `${taskId} wrote ${Math.floor(random() * 1e6)}`;
    recordEdit(model, file, slot, { actor: taskId, value });
    await writeFile(path.join(dir, file), render(file, currentSlots(model, file)));
    return `${taskId} edits ${file}#${slot}`;
  }
  if (roll < 0.7) {
    const file = `${taskId}-new${Math.floor(random() * 1e6)}.txt`;
    model.createdBy.set(file, taskId);
    await writeFiles(dir, { [file]: `made by ${taskId}\n` });
    return `${taskId} creates ${file}`;
  }
  if (roll < 0.8) {
    const file = `${taskId}-link${Math.floor(random() * 1e6)}`;
    model.createdBy.set(file, taskId);
    await symlink('README.md', path.join(dir, file));
    return `${taskId} links ${file}`;
  }
  const free = roll < 0.9 ? SPARES.filter((file) => !model.deletedBy.has(file)) : TOOLS.filter((file) => !model.chmodBy.has(file));
  if (free.length === 0) return `${taskId} does nothing`;
  const file = pick(random, free);
  if (roll < 0.9) {
    model.deletedBy.set(file, taskId);
    await rm(path.join(dir, file));
    return `${taskId} deletes ${file}`;
  }
  model.chmodBy.set(file, taskId);
  await chmod(path.join(dir, file), 0o755);
  return `${taskId} chmods ${file}`;
}

async function userStep(dir: string, random: Random, model: Model): Promise<string> {
  const roll = random();
  if (roll < 0.4) {
    // A line of a shared file: usually one no task wrote, sometimes one a task did (a conflict if that task is undone).
    const file = pick(random, SHARED);
    const taken = [...(model.slots.get(file)?.keys() ?? [])];
    const slot = random() < 0.3 && taken.length > 0 ? pick(random, taken) : Math.floor(random() * SLOTS);
    recordEdit(model, file, slot, { actor: 'user', value: `user wrote ${Math.floor(random() * 1e6)}` });
    await writeFile(path.join(dir, file), render(file, currentSlots(model, file)));
    return `user edits ${file}#${slot}`;
  }
  const created = [...model.createdBy.keys()].filter((file) => !file.includes('-link') && !model.userTouched.has(file));
  if (roll < 0.5 && created.length > 0) {
    const file = pick(random, created);
    model.userTouched.add(file);
    await writeFile(path.join(dir, file), `${await readFile(path.join(dir, file), 'utf8')}and the user\n`);
    return `user edits ${file}`;
  }
  const deleted = [...model.deletedBy.keys()].filter((file) => !model.userTouched.has(file));
  if (roll < 0.6 && deleted.length > 0) {
    // Re-made under the same name, and ignored from now on: the undo would overwrite it, so it must be recorded and reported.
    const file = pick(random, deleted);
    model.userTouched.add(file);
    await writeFiles(dir, { [file]: 'the user made this again\n', '.gitignore': `*.log\n.orchestrator/\n/${file}\n` });
    return `user re-makes ${file} (ignored)`;
  }
  if (roll < 0.8) {
    await writeFiles(dir, { [`user${Math.floor(random() * 1e6)}.log`]: 'ignored\n' });
    return 'user makes an ignored file';
  }
  await writeFiles(dir, { [`user${Math.floor(random() * 1e6)}.txt`]: 'untracked\n' });
  return 'user makes a file';
}

/** Disk as SELECTIVE must leave it: the selected tasks' own changes undone, everything else (and every conflicting file) as before. */
function expectedEntries(model: Model, selected: ReadonlySet<string>, before: Map<string, string>) {
  const conflicts = new Set<string>();
  const entries = new Map(before);
  for (const [file, slots] of model.slots) {
    if (![...slots.values()].some((edits) => edits.some((edit) => selected.has(edit.actor)))) continue;
    // A selected task's edit followed by anyone else's cannot be undone: the whole file stays as it is.
    const conflict = [...slots.values()].some((edits) => edits.some((edit, at) => selected.has(edit.actor) && edits.slice(at + 1).some((later) => !selected.has(later.actor))));
    if (conflict) {
      conflicts.add(file);
      continue;
    }
    const values = new Map<number, string>();
    for (const [slot, edits] of slots) {
      const firstSelected = edits.findIndex((edit) => selected.has(edit.actor));
      const kept = firstSelected < 0 ? edits : edits.slice(0, firstSelected);
      const last = kept.at(-1);
      if (last !== undefined) values.set(slot, last.value);
    }
    entries.set(file, `100644 ${blobId(Buffer.from(render(file, values)))}`);
  }
  for (const [file, actor] of model.createdBy) {
    if (!selected.has(actor)) continue;
    if (model.userTouched.has(file)) conflicts.add(file);
    else entries.delete(file);
  }
  for (const [file, actor] of model.deletedBy) {
    if (!selected.has(actor)) continue;
    if (model.userTouched.has(file)) conflicts.add(file);
    else entries.set(file, `100644 ${blobId(Buffer.from(`${file} content\n`))}`);
  }
  for (const [file, actor] of model.chmodBy) if (selected.has(actor)) entries.set(file, `100644 ${blobId(Buffer.from(`${file} content\n`))}`);
  return { entries, conflicts };
}
