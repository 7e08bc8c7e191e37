import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lastToolResults, textReply, toolUseReply } from '../../support/fake-anthropic';
import { attemptInput, recordingIO, startWorker } from './fixtures';

describe('API worker agent loop against the fake Messages API', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it('writes and edits files, runs a command, reports a discovery and ends with the model', async () => {
    const started = await startWorker();
    cleanup = started.cleanup;
    writeFileSync(join(started.workspace, 'README.md'), '# Project\n');
    started.fake.enqueue(
      toolUseReply('write_file', { path: 'src/hello.txt', content: 'one\n' }, { text: 'Creating the file.' }),
      toolUseReply('edit_file', { path: 'src/hello.txt', old_string: 'one', new_string: 'two' }),
      toolUseReply('edit_file', { path: 'README.md', old_string: '# Project', new_string: '# Project\n\nSays two.' }),
      toolUseReply('run_command', { command: 'cat src/hello.txt > copy.txt && echo ran && exit 3' }),
      toolUseReply('search', { pattern: 'two' }),
      toolUseReply('report_discovery', { summary: 'Greetings live in src/', tags: ['layout'], files: ['src/hello.txt'] }),
      textReply('Done: src/hello.txt says two.'),
    );
    const io = recordingIO();
    const outcome = await started.backend.runAttempt(attemptInput(started.workspace, new AbortController().signal), io);

    expect(outcome.status).toBe('succeeded');
    expect(outcome.status === 'succeeded' ? outcome.output : '').toBe('Done: src/hello.txt says two.');
    expect(readFileSync(join(started.workspace, 'src/hello.txt'), 'utf8')).toBe('two\n');
    expect(readFileSync(join(started.workspace, 'copy.txt'), 'utf8')).toBe('two\n');
    expect(readFileSync(join(started.workspace, 'README.md'), 'utf8')).toBe('# Project\n\nSays two.\n');
    expect(outcome.filesCreated).toEqual(['src/hello.txt', 'copy.txt']);
    expect(outcome.filesModified).toEqual(['README.md']);
    expect(outcome.discoveries).toEqual([{ summary: 'Greetings live in src/', tags: ['layout'], files: ['src/hello.txt'] }]);
    expect(io.discoveries).toEqual(outcome.discoveries);
    expect(outcome.usage.outputTokens).toBeGreaterThan(0);
    expect(outcome.costUsd).toBeGreaterThan(0);

    const requests = started.fake.messageRequests();
    expect(requests).toHaveLength(7);
    expect(String(lastToolResults(requests[4]!)[0]?.content)).toBe('exit code 3\nran\n');
    expect(String(lastToolResults(requests[5]!)[0]?.content)).toBe('README.md:3: Says two.\ncopy.txt:1: two\nsrc/hello.txt:1: two');
    expect(JSON.stringify(requests[0]?.body?.messages)).toContain('src/hello.txt says two');
    expect(io.events.map((event) => event.kind)).toEqual([
      'assistant.text',
      ...Array.from({ length: 6 }, () => ['tool_use', 'tool_result']).flat(),
      'assistant.text',
    ]);
    expect(io.events[1]?.text).toBe('write_file {"path":"src/hello.txt","content":"one\\n"}');
    const second = requests[1]?.body as { system: Array<{ cache_control?: unknown }>; tools: Array<{ name: string; cache_control?: unknown }> };
    expect(second.system.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
    expect(second.tools.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
    expect(second.tools.map((tool) => tool.name)).toEqual(['read_file', 'write_file', 'edit_file', 'list_files', 'search', 'run_command', 'report_discovery']);
  });

  it('follows links that stay inside the workspace and fails at once without a workspace', async () => {
    const started = await startWorker();
    cleanup = started.cleanup;
    mkdirSync(join(started.workspace, 'real'));
    writeFileSync(join(started.workspace, 'real', 'data.txt'), 'inside data');
    symlinkSync(join(started.workspace, 'real'), join(started.workspace, 'alias'));
    started.fake.enqueue(toolUseReply('read_file', { path: 'alias/data.txt' }), toolUseReply('write_file', { path: 'alias/new/deep.txt', content: 'x' }), textReply('ok'));
    const outcome = await started.backend.runAttempt(attemptInput(started.workspace, new AbortController().signal), recordingIO());
    expect(outcome.status).toBe('succeeded');
    const results = started.fake.messageRequests().slice(1).map((request) => lastToolResults(request)[0]);
    expect(results.map((result) => [result?.is_error ?? false, String(result?.content)])).toEqual([
      [false, 'inside data'],
      [false, 'created real/new/deep.txt (1 characters)'],
    ]);
    expect(readFileSync(join(started.workspace, 'real', 'new', 'deep.txt'), 'utf8')).toBe('x');

    const missing = await started.backend.runAttempt(attemptInput(join(started.workspace, 'nope'), new AbortController().signal), recordingIO());
    expect(missing).toMatchObject({ status: 'failed', error: { errorClass: 'permanent' } });
    expect(started.fake.messageRequests()).toHaveLength(3);
  });

  it('refuses paths outside the workspace (.., absolute, symlinks) and tells the model', async () => {
    const started = await startWorker();
    cleanup = started.cleanup;
    writeFileSync(join(started.outside, 'secret.txt'), 'top secret');
    symlinkSync(started.outside, join(started.workspace, 'escape'));
    symlinkSync(join(started.outside, 'secret.txt'), join(started.workspace, 'secret-link.txt'));
    symlinkSync(join(started.outside, 'not-yet.txt'), join(started.workspace, 'dangling.txt'));
    const escapeName = `escaped-${basename(started.workspace)}`;
    started.fake.enqueue(
      toolUseReply('write_file', { path: `../${escapeName}`, content: 'escaped' }),
      toolUseReply('read_file', { path: '/etc/passwd' }),
      toolUseReply('write_file', { path: 'escape/planted.txt', content: 'escaped' }),
      toolUseReply('read_file', { path: 'secret-link.txt' }),
      toolUseReply('write_file', { path: 'dangling.txt', content: 'escaped' }),
      toolUseReply('list_files', { path: 'escape' }),
      toolUseReply('write_file', { path: 'inside/../ok.txt', content: 'fine' }),
      textReply('I stayed inside.'),
    );
    const io = recordingIO();
    const outcome = await started.backend.runAttempt(attemptInput(started.workspace, new AbortController().signal), io);
    expect(outcome.status).toBe('succeeded');
    const results = started.fake.messageRequests().slice(1).map((request) => lastToolResults(request)[0]);
    const refused = (path: string): string => `Error: path ${JSON.stringify(path)} is outside the working directory; only paths inside it are allowed`;
    expect(results.map((result) => [result?.is_error ?? false, String(result?.content)])).toEqual([
      [true, refused(`../${escapeName}`)],
      [true, refused('/etc/passwd')],
      [true, refused('escape/planted.txt')],
      [true, refused('secret-link.txt')],
      [true, 'Error: path "dangling.txt" goes through a dangling symbolic link; refused'],
      [true, refused('escape')],
      [false, 'created ok.txt (4 characters)'],
    ]);
    expect(existsSync(join(started.workspace, '..', escapeName))).toBe(false);
    expect(existsSync(join(started.outside, 'planted.txt'))).toBe(false);
    expect(existsSync(join(started.outside, 'not-yet.txt'))).toBe(false);
    expect(JSON.stringify(started.fake.messageRequests().at(-1)?.body)).not.toContain('top secret');
    expect(outcome.filesCreated).toEqual(['ok.txt']);
    expect(io.events.filter((event) => event.kind === 'tool_result' && (event.data as { is_error: boolean }).is_error)).toHaveLength(6);
  });
});
