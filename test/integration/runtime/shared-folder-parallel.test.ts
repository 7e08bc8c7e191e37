import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewTaskInput } from '../../../src-shared/domain/task';
import { InProcessBackend, type InProcessScript } from '../../../src-main/engine/in-process-backend';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { contextFilesOverlap } from '../../../src-main/workspace/shared-folder';
import { makeTempDir, makeTempGitRepo } from '../../support/fake-anthropic';
import { writeConfig } from './pipeline-support';

/** When one attempt ran (performance.now()), and what it found in the folder. */
interface AttemptTimes {
  readonly taskId: string;
  readonly workingDirectory: string;
  readonly start: number;
  end: number;
  /** Lock files of its context files another attempt was holding when it started. */
  readonly collisions: string[];
}

/** Eight tasks over a small tree: some share files, one names a folder, one names none. */
const TASKS: ReadonlyArray<NewTaskInput & { readonly id: string; readonly contextFiles: ReadonlyArray<string> }> = [
  { id: '1', title: 'app entry', contextFiles: ['src/app.ts'] },
  { id: '2', title: 'app entry again', contextFiles: ['./src/app.ts'] },
  { id: '3', title: 'all of src', contextFiles: ['src/'] },
  { id: '4', title: 'a helper', contextFiles: ['src/lib/util.ts'] },
  { id: '5', title: 'the guide', contextFiles: ['docs/guide.md'] },
  { id: '6', title: 'the API doc', contextFiles: ['docs/api.md'] },
  { id: '7', title: 'anything', contextFiles: [] },
  { id: '8', title: 'the readme', contextFiles: ['README.md'] },
];

/**
 * An in-process worker that really works in the folder: it takes a lock file next to each file it
 * names (noting one already taken), appends to the file, works for `workMs`, and lets go.
 */
function folderWorker(times: AttemptTimes[], workMs: number): InProcessScript {
  return async (input) => {
    const attempt: AttemptTimes = { taskId: input.task.id, workingDirectory: input.workingDirectory, start: performance.now(), end: Number.NaN, collisions: [] };
    times.push(attempt);
    const files = input.task.contextFiles.filter((file) => !file.endsWith('/'));
    const locks: string[] = [];
    for (const file of files) {
      const path = join(input.workingDirectory, file);
      mkdirSync(dirname(path), { recursive: true });
      try {
        writeFileSync(`${path}.lock`, input.attemptId, { flag: 'wx' });
        locks.push(`${path}.lock`);
      } catch {
        attempt.collisions.push(file);
      }
      appendFileSync(path, `task ${input.task.id}\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, workMs));
    for (const lock of locks) rmSync(lock, { force: true });
    attempt.end = performance.now();
    return {};
  };
}

function ranTogether(a: AttemptTimes, b: AttemptTimes): boolean {
  return a.start < b.end && b.start < a.end;
}

describe('a project folder without worktrees', () => {
  let folder: { readonly path: string; readonly cleanup: () => void } | undefined;
  let runtime: ProjectRuntime | undefined;
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    folder?.cleanup();
    folder = undefined;
  });

  it.each([
    ['not a git repository', () => makeTempDir('co-shared-'), {}],
    ['a git repository with git.enabled false', () => makeTempGitRepo('co-shared-git-'), { git: { enabled: false } }],
  ])('%s: runs tasks whose context files cannot overlap at the same time, and never the others', async (_name, makeFolder, gitConfig) => {
    folder = makeFolder();
    writeConfig(folder.path, { ...gitConfig, execution: { max_workers: 3 }, monitoring: { checkpoint_before_run: false } });
    const times: AttemptTimes[] = [];
    runtime = await openProjectRuntime({
      projectDir: folder.path,
      env: { HOME: folder.path, PATH: process.env['PATH'] },
      secretStore: null,
      backend: new InProcessBackend(folderWorker(times, 150)),
    });
    expect(runtime.usesWorktrees).toBe(false);
    runtime.orchestrator.addTasksBatch(TASKS);

    const run = await runtime.run();

    expect(run.status).toBe('succeeded');
    expect(run.maxWorkers).toBe(3);
    expect(existsSync(join(folder.path, '.orchestrator', 'state.db'))).toBe(true);
    expect(times).toHaveLength(TASKS.length);
    expect(new Set(times.map((attempt) => attempt.workingDirectory))).toEqual(new Set([folder.path]));
    expect(times.flatMap((attempt) => attempt.collisions)).toEqual([]);
    const byTask = new Map(times.map((attempt) => [attempt.taskId, attempt]));
    const pairsTogether: string[] = [];
    TASKS.forEach((a, index) => {
      for (const b of TASKS.slice(index + 1)) {
        if (!ranTogether(byTask.get(a.id) as AttemptTimes, byTask.get(b.id) as AttemptTimes)) continue;
        pairsTogether.push(`${a.id}+${b.id}`);
        expect(contextFilesOverlap(a.contextFiles, b.contextFiles), `${a.id} and ${b.id} ran at the same time`).toBe(false);
      }
    });
    // The first three the scheduler could start (1, then 4 and 5, which share nothing with it) ran together.
    expect(pairsTogether).toEqual(expect.arrayContaining(['1+4', '1+5', '4+5']));
    // Both tasks on src/app.ts wrote it, one after the other.
    expect(readFileSync(join(folder.path, 'src', 'app.ts'), 'utf8').split('\n').filter(Boolean).sort()).toEqual(['task 1', 'task 2']);
  });

  it('gives the configured Claude Code backend execution.max_workers, not one worker', async () => {
    folder = makeTempDir('co-shared-cli-');
    writeConfig(folder.path, { execution: { max_workers: 3 } });
    runtime = await openProjectRuntime({ projectDir: folder.path, env: { HOME: folder.path, PATH: process.env['PATH'] }, secretStore: null });
    expect(runtime.usesWorktrees).toBe(false);
    expect(runtime.orchestrator.getStatus().maxWorkers).toBe(3);
  });
});
