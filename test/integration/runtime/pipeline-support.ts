import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeReply, RecordedRequest } from '../../support/fake-anthropic';
import { structuredOutputTool, textReply, toolUseReply } from '../../support/fake-anthropic';

/** The folder Claude Code works in, as it tells the model in its system prompt. */
export function workingDirectoryOf(request: RecordedRequest): string {
  const system = request.body?.system;
  const text = typeof system === 'string' ? system : JSON.stringify(system ?? '');
  const match = /(?:Primary working directory|Working directory):\s*([^\s"\\]+)/.exec(text);
  if (match?.[1] === undefined) throw new Error('the request does not name a working directory');
  return match[1];
}

/** The name of the tool a manager request forces, if any. */
export function forcedTool(request: RecordedRequest): string | undefined {
  const choice = (request.body as { tool_choice?: { name?: string } } | undefined)?.tool_choice;
  return choice?.name ?? structuredOutputTool(request);
}

/** All text of a request, to find which task a worker is on. */
export function requestText(request: RecordedRequest): string {
  return JSON.stringify(request.body?.messages ?? []) + JSON.stringify(request.body?.system ?? '');
}

/** Whether the last message is a tool result (the worker's second turn). */
export function afterToolResult(request: RecordedRequest): boolean {
  const last = request.body?.messages?.at(-1) as { content?: unknown } | undefined;
  return Array.isArray(last?.content) && (last.content as Array<{ type?: string }>).some((block) => block.type === 'tool_result');
}

/** A worker turn: first write a file in its working directory, then say it is done. */
export function writeFileTurn(request: RecordedRequest, file: string, content: string, finalText = `Wrote ${file}.`): FakeReply {
  if (afterToolResult(request)) return textReply(finalText);
  return toolUseReply('Write', { file_path: join(workingDirectoryOf(request), file), content }, { text: `Writing ${file}` });
}

/** A manager tool call reply. */
export function managerReply(tool: string, input: Record<string, unknown>): FakeReply {
  return toolUseReply(tool, input);
}

/** Writes orchestrator_config.json into a project. */
export function writeConfig(projectDir: string, config: Record<string, unknown>): void {
  writeFileSync(join(projectDir, 'orchestrator_config.json'), JSON.stringify(config, null, 2));
}

/** Runs git in a folder and returns its trimmed output. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}
