import { randomBytes } from 'node:crypto';
import { assertGitRoot } from './layout';
import { gitText, runGit } from './git';
import { retentionOf, type CheckpointRetention } from './checkpoint-retention';
import { diffTrees, snapshotWorkingTree, workingTreeObject, type CaptureAlso, type TreeChange } from './tree-snapshot';

/** Ref namespace of checkpoint commits (tree = the working tree). */
export const CHECKPOINT_REF_PREFIX = 'refs/orchestrator/checkpoints/';
/** Ref namespace of each checkpoint's data commit: its tree is the user's index, its message the task snapshot (JSON). */
export const CHECKPOINT_DATA_REF_PREFIX = 'refs/orchestrator/checkpoint-data/';

/** Why a checkpoint was made. */
export type CheckpointKind = 'manual' | 'run' | 'rollback';

/** A checkpoint as listed. */
export interface Checkpoint {
  readonly id: string;
  readonly description: string;
  readonly kind: CheckpointKind;
  readonly createdAt: Date;
  /** Commit under refs/orchestrator/checkpoints/<id>; its tree is the working tree. */
  readonly commit: string;
  readonly tree: string;
  /** HEAD when the checkpoint was made (null in a repository without commits). */
  readonly head: string | null;
  readonly indexTree: string | null;
  /** Set for 'rollback' checkpoints: the checkpoint being rolled back to. */
  readonly rollbackOf?: string;
}

/** A checkpoint with its task snapshot and what differs from the working tree now. */
export interface CheckpointDetails extends Checkpoint {
  readonly taskSnapshot: unknown;
  /** Paths a FULL rollback would change ('added' = exists at the checkpoint, missing now). */
  readonly changesSinceCheckpoint: ReadonlyArray<TreeChange>;
}

/** Input of `createCheckpoint`. */
export interface CreateCheckpointInput {
  readonly description: string;
  readonly kind?: CheckpointKind;
  /** From `TaskSnapshotSource.snapshotTasks()`; must be JSON-serialisable. */
  readonly taskSnapshot: unknown;
  readonly rollbackOf?: string;
  /** Paths a rollback is about to write: whatever is on disk there is recorded too, ignored or not. */
  readonly captureAlso?: CaptureAlso;
  /** Prune older checkpoints by this policy once this one exists. */
  readonly retention?: CheckpointRetention;
  /** For tests and imports; defaults to now. */
  readonly now?: Date;
}

interface CheckpointMeta {
  readonly v: 1;
  readonly id: string;
  readonly description: string;
  readonly kind: CheckpointKind;
  readonly createdAt: string;
  readonly head: string | null;
  readonly indexTree: string | null;
  readonly rollbackOf?: string;
}

const META_MARKER = 'Orchestrator-Checkpoint: ';
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/**
 * Records the full working tree (untracked included, .gitignore respected, `.orchestrator/`
 * excluded), the user's index and the task snapshot as git objects under
 * refs/orchestrator/…, without touching the user's index, HEAD or branches.
 */
export async function createCheckpoint(projectDir: string, input: CreateCheckpointInput): Promise<Checkpoint> {
  await assertGitRoot(projectDir);
  const now = input.now ?? new Date();
  const id = newCheckpointId(now);
  const snapshot = await snapshotWorkingTree(projectDir, input.captureAlso);
  const meta: CheckpointMeta = {
    v: 1,
    id,
    description: input.description,
    kind: input.kind ?? 'manual',
    createdAt: now.toISOString(),
    head: snapshot.head,
    indexTree: snapshot.indexTree,
    ...(input.rollbackOf === undefined ? {} : { rollbackOf: input.rollbackOf }),
  };
  const subject = `orchestrator checkpoint: ${firstLine(input.description) || id}`;
  const message = `${subject}\n\n${META_MARKER}${JSON.stringify(meta)}\n`;
  const parents = snapshot.head === null ? [] : ['-p', snapshot.head];
  const date = { GIT_AUTHOR_DATE: now.toISOString(), GIT_COMMITTER_DATE: now.toISOString() };
  // The data commit keeps the user's index (its tree) and the task snapshot (its message) reachable:
  // one process instead of hash-object + mktree, and each git call here is a process.
  const commitOptions = { needsIdentity: true, env: date } as const;
  const [commit, dataCommit] = await Promise.all([
    gitText(projectDir, ['commit-tree', '--no-gpg-sign', snapshot.tree, ...parents, '-F', '-'], { ...commitOptions, input: message }),
    gitText(projectDir, ['commit-tree', '--no-gpg-sign', snapshot.indexTree ?? EMPTY_TREE, '-F', '-'], {
      ...commitOptions,
      input: JSON.stringify(input.taskSnapshot ?? null),
    }),
  ]);
  // Both refs in one update-ref transaction: a checkpoint exists completely or not at all.
  await runGit(projectDir, ['update-ref', '--stdin'], {
    input: `create ${CHECKPOINT_REF_PREFIX}${id} ${commit}\ncreate ${CHECKPOINT_DATA_REF_PREFIX}${id} ${dataCommit}\n`,
  });
  // Housekeeping only: the checkpoint exists either way, and a failed prune is retried after the next one.
  if (input.retention !== undefined) await applyCheckpointRetention(projectDir, input.retention, now).catch(() => []);
  return toCheckpoint(meta, commit, snapshot.tree);
}

/** All checkpoints, newest first. */
export async function listCheckpoints(projectDir: string): Promise<Checkpoint[]> {
  const format = '%(objectname)%00%(tree)%00%(contents:body)%00';
  const output = (await runGit(projectDir, ['for-each-ref', `--format=${format}`, CHECKPOINT_REF_PREFIX])).stdout;
  const fields = output.split('\0');
  const checkpoints: Checkpoint[] = [];
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const commit = (fields[i] ?? '').trim();
    const tree = fields[i + 1] ?? '';
    const meta = parseMeta(fields[i + 2] ?? '');
    if (meta !== null) checkpoints.push(toCheckpoint(meta, commit, tree));
  }
  return checkpoints.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id));
}

/** One checkpoint, or null when the id is unknown. */
export async function getCheckpoint(projectDir: string, id: string): Promise<Checkpoint | null> {
  return (await loadCheckpoint(projectDir, id))?.checkpoint ?? null;
}

/** A checkpoint and its task snapshot, read in one `git cat-file --batch` process. */
export async function loadCheckpoint(projectDir: string, id: string): Promise<{ readonly checkpoint: Checkpoint; readonly taskSnapshot: unknown } | null> {
  assertCheckpointId(id);
  const input = `${CHECKPOINT_REF_PREFIX}${id}\n${CHECKPOINT_DATA_REF_PREFIX}${id}\n`;
  const [main, data] = parseBatch((await runGit(projectDir, ['cat-file', '--batch'], { input })).stdout);
  if (main?.type !== 'commit') return null;
  const [header = '', body = ''] = splitCommit(main.content);
  const meta = parseMeta(body);
  const tree = /^tree ([0-9a-f]+)$/m.exec(header)?.[1];
  if (meta === null || tree === undefined) return null;
  const taskSnapshot = data?.type === 'commit' ? (JSON.parse(splitCommit(data.content)[1]) as unknown) : null;
  return { checkpoint: toCheckpoint(meta, main.oid, tree), taskSnapshot };
}

/** Objects from `git cat-file --batch` output ("<oid> <type> <size>\n<content>\n", or "<name> missing\n"). */
function parseBatch(output: string): Array<{ readonly oid: string; readonly type: string; readonly content: string }> {
  const bytes = Buffer.from(output, 'utf8');
  const objects: Array<{ oid: string; type: string; content: string }> = [];
  let at = 0;
  while (at < bytes.length) {
    const lineEnd = bytes.indexOf(0x0a, at);
    if (lineEnd < 0) break;
    const [oid = '', type = '', size = ''] = bytes.subarray(at, lineEnd).toString('utf8').split(' ');
    at = lineEnd + 1;
    if (type === 'missing' || size === '') {
      objects.push({ oid, type: 'missing', content: '' });
      continue;
    }
    const length = Number(size);
    objects.push({ oid, type, content: bytes.subarray(at, at + length).toString('utf8') });
    at += length + 1;
  }
  return objects;
}

/** A checkpoint with its task snapshot and the paths a FULL rollback would change. */
export async function showCheckpoint(projectDir: string, id: string): Promise<CheckpointDetails> {
  const [loaded, current] = await Promise.all([loadCheckpoint(projectDir, id), workingTreeObject(projectDir)]);
  if (loaded === null) throw new Error(`Checkpoint "${id}" does not exist.`);
  return {
    ...loaded.checkpoint,
    taskSnapshot: loaded.taskSnapshot,
    changesSinceCheckpoint: await diffTrees(projectDir, current, loaded.checkpoint.tree),
  };
}

/** The checkpoint, or a clear error naming the unknown id. */
export async function requireCheckpoint(projectDir: string, id: string): Promise<Checkpoint> {
  const checkpoint = await getCheckpoint(projectDir, id);
  if (checkpoint === null) throw new Error(`Checkpoint "${id}" does not exist.`);
  return checkpoint;
}

/** Deletes a checkpoint's refs (its objects go with the next `git gc`); false if it did not exist. */
export async function deleteCheckpoint(projectDir: string, id: string): Promise<boolean> {
  assertCheckpointId(id);
  if ((await getCheckpoint(projectDir, id)) === null) return false;
  await runGit(projectDir, ['update-ref', '--stdin'], {
    input: `delete ${CHECKPOINT_REF_PREFIX}${id}\ndelete ${CHECKPOINT_DATA_REF_PREFIX}${id}\n`,
  });
  return true;
}

/** Which checkpoints `pruneCheckpoints` removes. */
export interface PruneOptions {
  /** Always keep this many newest checkpoints (default 0). */
  readonly keepLatest?: number;
  /** Only remove checkpoints created before this date. */
  readonly olderThan?: Date;
}

/** Deletes old checkpoints; returns the ids removed. */
export async function pruneCheckpoints(projectDir: string, options: PruneOptions): Promise<string[]> {
  const all = await listCheckpoints(projectDir);
  const candidates = all.slice(Math.max(0, options.keepLatest ?? 0));
  const doomed = candidates.filter((checkpoint) => options.olderThan === undefined || checkpoint.createdAt < options.olderThan);
  for (const checkpoint of doomed) await deleteCheckpoint(projectDir, checkpoint.id);
  return doomed.map((checkpoint) => checkpoint.id);
}

/** Deletes the checkpoints the retention policy does not keep (refs only; `git gc` frees their objects); returns their ids. */
export async function applyCheckpointRetention(projectDir: string, policy: CheckpointRetention, now = new Date()): Promise<string[]> {
  const doomed = retentionOf(await listCheckpoints(projectDir), policy, now).filter((retained) => retained.keptBecause.length === 0);
  if (doomed.length === 0) return [];
  // One transaction; deleting a ref another process already deleted is not an error.
  const input = doomed.map(({ checkpoint }) => `delete ${CHECKPOINT_REF_PREFIX}${checkpoint.id}\ndelete ${CHECKPOINT_DATA_REF_PREFIX}${checkpoint.id}\n`).join('');
  await runGit(projectDir, ['update-ref', '--stdin'], { input });
  return doomed.map(({ checkpoint }) => checkpoint.id);
}

/** Sortable, unique, ref-safe id: UTC time to the millisecond plus randomness. */
export function newCheckpointId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

const CHECKPOINT_ID = /^[0-9]{8}T[0-9]{9}Z-[0-9a-f]{8}$/;

function assertCheckpointId(id: string): void {
  if (!CHECKPOINT_ID.test(id)) throw new Error(`"${id}" is not a checkpoint id.`);
}

function toCheckpoint(meta: CheckpointMeta, commit: string, tree: string): Checkpoint {
  return {
    id: meta.id,
    description: meta.description,
    kind: meta.kind,
    createdAt: new Date(meta.createdAt),
    commit,
    tree,
    head: meta.head,
    indexTree: meta.indexTree,
    ...(meta.rollbackOf === undefined ? {} : { rollbackOf: meta.rollbackOf }),
  };
}

function parseMeta(body: string): CheckpointMeta | null {
  const line = body.split('\n').find((candidate) => candidate.startsWith(META_MARKER));
  if (line === undefined) return null;
  try {
    const meta = JSON.parse(line.slice(META_MARKER.length)) as CheckpointMeta;
    return meta.v === 1 && typeof meta.id === 'string' ? meta : null;
  } catch {
    return null;
  }
}

function splitCommit(raw: string): [string, string] {
  const at = raw.indexOf('\n\n');
  return at < 0 ? [raw, ''] : [raw.slice(0, at), raw.slice(at + 2)];
}

/** First line of a description, without control characters, for the commit subject. */
function firstLine(text: string): string {
  const line = [...(text.split('\n')[0] ?? '')].map((char) => (char.charCodeAt(0) < 0x20 || char === '\u007f' ? ' ' : char)).join('');
  return line.trim().slice(0, 120);
}

