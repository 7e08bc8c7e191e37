import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClaudeNotFoundError, buildAppendedSystemPrompt, classifyRunEnding, findClaude, parseDiscoveries } from '../../../src-main/agents/claude-cli';
import type { ResultEvent } from '../../../src-main/agents/claude-cli';
import { searchPath } from '../../../src-main/agents/claude-cli/find-claude';

const result = (fields: Partial<ResultEvent>): ResultEvent => ({ type: 'result', subtype: 'success', is_error: false, ...fields });

describe('discoveries block', () => {
  it('reads the last block and drops invalid items with a reason', () => {
    const text = 'Done.\n```discoveries\n[]\n```\nlater:\n```discoveries\n[{"summary":"Uses pnpm","tags":["build"],"files":["package.json"],"details":"not npm"},{"tags":[]}]\n```';
    const parsed = parseDiscoveries(text);
    expect(parsed.discoveries).toEqual([{ summary: 'Uses pnpm', details: 'not npm', tags: ['build'], files: ['package.json'] }]);
    expect(parsed.problems).toEqual([expect.stringContaining('Discovery 2 was dropped')]);
  });

  it('tolerates missing blocks, bad JSON and missing tags/files', () => {
    expect(parseDiscoveries('no block here')).toEqual({ discoveries: [], problems: [] });
    expect(parseDiscoveries('```discoveries\n[{oops\n```').problems[0]).toMatch(/not valid JSON/);
    expect(parseDiscoveries('```discoveries\n{"summary":"single"}\n```').discoveries).toEqual([{ summary: 'single', tags: [], files: [] }]);
  });
});

describe('classifyRunEnding', () => {
  it('needs both subtype success and is_error false to succeed', () => {
    expect(classifyRunEnding({ result: result({}), exitCode: 0, stderrTail: '' })).toBeUndefined();
    expect(classifyRunEnding({ result: result({ is_error: true, api_error_status: 401, result: 'Invalid API key' }), exitCode: 1, stderrTail: '' })).toMatchObject({ errorClass: 'permanent', message: expect.stringMatching(/API key/) });
  });

  it('maps rate limits, overload and 5xx to transient', () => {
    for (const status of [429, 529, 500, 503]) {
      expect(classifyRunEnding({ result: result({ is_error: true, api_error_status: status }), exitCode: 1, stderrTail: '' })?.errorClass).toBe('transient');
    }
    expect(classifyRunEnding({ assistantError: 'rate_limit', exitCode: 1, stderrTail: '' })?.errorClass).toBe('transient');
  });

  it('maps max turns and timeouts to recoverable', () => {
    expect(classifyRunEnding({ result: result({ subtype: 'error_max_turns', is_error: true }), exitCode: 1, stderrTail: '' })?.errorClass).toBe('recoverable');
    expect(classifyRunEnding({ result: result({}), exitCode: 0, stderrTail: '', timedOutAfterMs: 60_000 })).toMatchObject({ errorClass: 'recoverable', message: expect.stringContaining('60 s') });
  });

  it('explains a crash without a result', () => {
    expect(classifyRunEnding({ exitCode: 2, stderrTail: 'Error: socket hang up' })).toMatchObject({ errorClass: 'transient', message: expect.stringContaining('exited with code 2') });
    expect(classifyRunEnding({ signal: 'SIGKILL', stderrTail: '' })?.message).toContain('killed by SIGKILL');
  });
});

describe('appended system prompt', () => {
  it('carries the whole task context and the discoveries format', () => {
    const prompt = buildAppendedSystemPrompt({
      id: 'T7',
      title: 'Add login',
      description: 'A login form',
      details: 'Use the existing session store',
      acceptanceCriteria: ['Wrong password shows an error'],
      testStrategy: 'npm test',
      contextFiles: ['src/session.ts'],
      hints: ['Reuse Button'],
      relevantDiscoveries: [{ summary: 'Sessions live in Redis', tags: ['auth'], files: ['src/session.ts'] }],
      reviewFeedback: 'Handle empty passwords',
    });
    for (const part of ['T7: Add login', 'Use the existing session store', '- Wrong password shows an error', 'npm test', '- src/session.ts', '- Reuse Button', 'Sessions live in Redis', 'Handle empty passwords', '```discoveries']) {
      expect(prompt).toContain(part);
    }
  });
});

describe('findClaude', () => {
  it('says how to install or configure claude when it is missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'co-noclaude-'));
    try {
      const nowhere = { searchFrom: [empty], skipLoginShell: true, env: { PATH: empty, HOME: empty } };
      await expect(findClaude(nowhere)).rejects.toThrow(ClaudeNotFoundError);
      await expect(findClaude(nowhere)).rejects.toThrow(/npm i -g @anthropic-ai\/claude-code/);
      await expect(findClaude({ configuredPath: join(empty, 'claude') })).rejects.toThrow(/configured Claude Code executable/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('searches PATH, and on Windows tries each PATHEXT extension and the npm folder in APPDATA', async () => {
    const root = mkdtempSync(join(tmpdir(), 'co-pathclaude-'));
    try {
      const bin = join(root, 'bin');
      const npmFolder = join(root, 'AppData', 'npm');
      mkdirSync(bin);
      mkdirSync(npmFolder, { recursive: true });
      writeFileSync(join(bin, 'claude'), '#!/bin/sh\n', { mode: 0o755 });
      writeFileSync(join(npmFolder, 'claude.cmd'), '@echo off\n', { mode: 0o755 });
      const empty = join(root, 'empty');
      mkdirSync(empty);
      await expect(findClaude({ searchFrom: [empty], skipLoginShell: true, env: { PATH: `${empty}:${bin}`, HOME: empty } })).resolves.toEqual({ source: 'path', path: join(bin, 'claude') });
      await expect(searchPath({ PATH: empty, APPDATA: join(root, 'AppData'), PATHEXT: '.COM;.EXE;.BAT;.CMD', USERPROFILE: empty }, 'win32')).resolves.toBe(join(npmFolder, 'claude.cmd'));
      await expect(searchPath({ PATH: `${empty};${npmFolder}`, PATHEXT: '.EXE' }, 'win32')).resolves.toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('finds the claude installed in node_modules/.bin', async () => {
    await expect(findClaude({ searchFrom: [process.cwd()], skipLoginShell: true })).resolves.toMatchObject({ source: 'node_modules', path: expect.stringMatching(/node_modules\/\.bin\/claude$/) });
  });
});
