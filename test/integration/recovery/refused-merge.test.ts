import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claudeTestEnv, makeTempDir, matchers, startFakeAnthropic, textReply, toolUseReply, type FakeAnthropic, type FakeReply, type RecordedRequest } from '../../support/fake-anthropic';
import { connectRpcClient } from '../../support/rpc-client';
import { startServeProcess } from '../../support/serve-process';
import { cliBuilt, tempProject, type TempProject } from '../cli/cli-harness';
import { git, workingDirectoryOf, writeFileTurn } from '../runtime/pipeline-support';
import { initProject, queryProject, taskFile, taskOf } from './recovery-support';

/** What `co status --json` says about finished work not on the user's branch. */
interface Unintegrated {
  readonly runId: string;
  readonly branch: string;
  readonly status: string;
  readonly reason: string | null;
  readonly integrateWith: string | null;
}

/** A worker rewriting a tracked file: Claude Code's Write tool refuses a file it has not read, so Read, then Write, then done. */
function rewriteFileTurn(request: RecordedRequest, file: string, content: string): FakeReply {
  const results = (request.body?.messages ?? []).flatMap((message) => (Array.isArray(message.content) ? message.content : [])).filter((block) => (block as { type?: string }).type === 'tool_result');
  const target = path.join(workingDirectoryOf(request), file);
  if (results.length === 0) return toolUseReply('Read', { file_path: target }, { text: `Reading ${file}` });
  if (results.length === 1) return toolUseReply('Write', { file_path: target, content }, { text: `Rewriting ${file}` });
  return textReply(`Rewrote ${file}.`);
}

const TASK_ONE_VERSION = 'shared, as task 1 left it\n';
const USER_EDIT = 'shared, with the user’s unsaved edit\n';

describe('a run whose final merge is refused by uncommitted changes', () => {
  let fake: FakeAnthropic;
  let project: TempProject;
  let home: ReturnType<typeof makeTempDir>;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    project = tempProject({ git: true, files: { 'README.md': '# demo\n', 'shared.txt': 'shared, original\n' } });
    home = makeTempDir('co-recovery-home-');
  });
  afterEach(async () => {
    await fake.close();
    project.cleanup();
    home.cleanup();
  });

  it('keeps the work on a named branch, reports it, builds the next run on it, and co integrate brings it in', { timeout: 300_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    const sharedFile = path.join(project.dir, 'shared.txt');
    // Task 1 rewrites shared.txt; while its agent works, the user edits the same file and does not commit.
    fake.script({
      match: matchers.hasTools,
      respond: (request) => {
        const id = taskOf(request);
        if (id === '1') {
          writeFileSync(sharedFile, USER_EDIT);
          return rewriteFileTurn(request, 'shared.txt', TASK_ONE_VERSION);
        }
        return id === undefined ? undefined : writeFileTurn(request, taskFile(id).name, taskFile(id).content);
      },
    });
    const env = claudeTestEnv(fake, home.path);
    await initProject(project, env, ['Rewrite shared.txt']);

    const first = await project.co(['run', '--no-progress'], { env });
    // The task is done; only the merge into the user's branch was refused, and the output says where the work is and what to do.
    expect(first.stdout).toMatch(/1 done, 0 failed/);
    const branch = /kept on branch (orchestrator\/run-\S+?):/.exec(first.stdout)?.[1];
    expect(branch, first.stdout).toBeDefined();
    expect(first.stdout).toContain('your uncommitted changes in shared.txt are in the way');
    expect(first.stdout).toContain('co integrate');
    // The user's edit is untouched; the work is on the named branch.
    expect(readFileSync(sharedFile, 'utf8')).toBe(USER_EDIT);
    expect(git(project.dir, 'show', `${branch}:shared.txt`)).toBe(TASK_ONE_VERSION.trim());

    const status = await project.coJson<{ unintegrated: Unintegrated[] }>(['status']);
    expect(status.unintegrated).toEqual([
      expect.objectContaining({ branch, status: 'kept', integrateWith: 'co integrate', reason: expect.stringContaining('shared.txt') }),
    ]);
    const statusText = await project.co(['status'], { env });
    expect(statusText.stdout).toContain(`Finished work kept on branch ${branch}`);
    expect(statusText.stdout).toContain('Bring it in with: co integrate');
    // The app (here its host, `co serve`) reports it too, for its Integrate button.
    const serve = await startServeProcess(env);
    try {
      const { client, socket } = await connectRpcClient({ port: Number(new URL(serve.url).port), token: serve.token });
      await client.invoke('projects.open', { path: project.dir });
      const inApp = await client.invoke('runs.status', { project: project.dir });
      expect(inApp.unintegrated).toEqual([expect.objectContaining({ branch, status: 'kept', note: expect.stringContaining('shared.txt') })]);
      socket.terminate();
    } finally {
      await serve.stop();
    }

    // The next run starts from the kept work: its task's checkout has task 1's shared.txt.
    expect((await project.co(['add', 'Write task-2.txt'], { env })).status).toBe(0);
    const second = await project.co(['run', '--no-progress'], { env });
    expect(second.stdout, second.stderr).toMatch(/2 done, 0 failed/);
    const base = queryProject<{ base: string }>(project.dir, "SELECT commit_before AS base FROM attempts WHERE task_id = '2' AND status = 'succeeded'")[0]?.base;
    expect(base).toBeDefined();
    expect(git(project.dir, 'show', `${base ?? ''}:shared.txt`)).toBe(TASK_ONE_VERSION.trim());
    // Still refused (the edit is still there): both runs' work is kept, and still reported.
    expect(second.stdout).toContain('co integrate');
    expect(readFileSync(sharedFile, 'utf8')).toBe(USER_EDIT);
    const stillKept = await project.coJson<{ unintegrated: Unintegrated[] }>(['status']);
    expect(stillKept.unintegrated.length).toBeGreaterThan(0);
    expect(stillKept.unintegrated.every((integration) => integration.status === 'kept')).toBe(true);

    // With the edit still there, co integrate refuses and says so (exit 1); once it is stashed, it brings everything in.
    const refused = await project.co(['integrate'], { env });
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('shared.txt');
    git(project.dir, 'stash');
    const integrated = await project.co(['integrate'], { env });
    expect(integrated.status, integrated.stdout + integrated.stderr).toBe(0);
    expect(integrated.stdout).toContain('merged into your current branch');
    expect(readFileSync(sharedFile, 'utf8')).toBe(TASK_ONE_VERSION);
    expect(readFileSync(path.join(project.dir, taskFile('2').name), 'utf8')).toBe(taskFile('2').content);
    expect(git(project.dir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    expect((await project.coJson<{ unintegrated: Unintegrated[] }>(['status'])).unintegrated).toEqual([]);
    // Nothing was lost: the user's edit is in their stash.
    expect(git(project.dir, 'stash', 'list')).not.toBe('');
    expect(git(project.dir, 'show', 'stash@{0}:shared.txt')).toBe(USER_EDIT.trim());
  });
});
