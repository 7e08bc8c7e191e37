import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeReply, RecordedRequest } from '../../support/fake-anthropic';
import { textReply, toolUseReply } from '../../support/fake-anthropic';
import { afterToolResult, forcedTool, managerReply, workingDirectoryOf } from '../runtime/pipeline-support';

export { forcedTool, git, managerReply, requestText, writeConfig } from '../runtime/pipeline-support';

/** Which task a worker request is about ("Carry out task N: …" opens the prompt), or null for other requests. */
export function taskOf(request: RecordedRequest): string | null {
  const first = request.body?.messages?.[0] as { content?: unknown } | undefined;
  const text = typeof first?.content === 'string' ? first.content : JSON.stringify(first?.content ?? '');
  return /Carry out task ([\w.]+):/.exec(text)?.[1] ?? null;
}

/** All text blocks of a request's messages, joined. */
export function messageText(request: RecordedRequest): string {
  const parts: string[] = [];
  for (const message of request.body?.messages ?? []) {
    const content = (message as { content?: unknown }).content;
    if (typeof content === 'string') parts.push(content);
    else if (Array.isArray(content)) for (const block of content as Array<{ type?: string; text?: string }>) if (block.type === 'text' && typeof block.text === 'string') parts.push(block.text);
  }
  return parts.join('\n');
}

/** How many tool calls the agent has made so far in this conversation. */
function toolCallsSoFar(request: RecordedRequest): number {
  let count = 0;
  for (const message of request.body?.messages ?? []) {
    const content = (message as { role?: string; content?: unknown }).content;
    if ((message as { role?: string }).role !== 'assistant' || !Array.isArray(content)) continue;
    count += (content as Array<{ type?: string }>).filter((block) => block.type === 'tool_use').length;
  }
  return count;
}

/**
 * A worker that does what a real agent does with a shared file: reads it (Claude Code refuses to
 * overwrite a file it has not read), then writes it back as it is in its own workspace now, with its
 * own line added at the end, then says it is done.
 */
export function appendLineTurn(request: RecordedRequest, file: string, line: string): FakeReply {
  const path = join(workingDirectoryOf(request), file);
  const calls = toolCallsSoFar(request);
  if (calls === 0 && existsSync(path)) return toolUseReply('Read', { file_path: path }, { text: `Reading ${file}` });
  if (calls === 0 || (calls === 1 && afterToolResult(request) && isReadResult(request))) {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
    return toolUseReply('Write', { file_path: path, content: `${current}${line}\n` }, { text: `Adding my line to ${file}` });
  }
  return textReply(`Added my line to ${file}.`);
}

function isReadResult(request: RecordedRequest): boolean {
  const previous = request.body?.messages?.at(-2) as { content?: unknown } | undefined;
  return Array.isArray(previous?.content) && (previous.content as Array<{ type?: string; name?: string }>).some((block) => block.type === 'tool_use' && block.name === 'Read');
}

/** Resolves diff3 conflict markers the way a careful model would for "both added lines": the tip's side, then the task's side. */
export function resolveDiff3(content: string): string {
  const out: string[] = [];
  let section: 'none' | 'ours' | 'base' | 'theirs' = 'none';
  for (const line of content.split('\n')) {
    if (line.startsWith('<<<<<<<')) section = 'ours';
    else if (line.startsWith('|||||||')) section = 'base';
    else if (line === '=======') section = 'theirs';
    else if (line.startsWith('>>>>>>>')) section = 'none';
    else if (section !== 'base') out.push(line);
  }
  return out.join('\n');
}

/** The manager's resolve_conflict answer for a request: every conflicted file resolved with resolveDiff3. */
export function resolveConflictReply(request: RecordedRequest): FakeReply {
  const text = messageText(request);
  const files = [...text.matchAll(/<conflicted_file>\npath: ([^\n]+)\n([\s\S]*?)\n<\/conflicted_file>/g)].map((match) => ({ path: match[1] ?? '', content: resolveDiff3(match[2] ?? '') }));
  return managerReply('resolve_conflict', { files });
}

/** A manager that approves every review and resolves conflicts; other requests fall through. */
export function approvingManager(request: RecordedRequest): FakeReply | undefined {
  switch (forcedTool(request)) {
    case 'submit_review':
      // Like a real reviewer: an attempt that changed nothing did not do a task that needs changes.
      if (messageText(request).includes('<diff>\n(no changes)')) return managerReply('submit_review', { verdict: 'request_changes', feedback: 'Nothing changed; make the change.' });
      return managerReply('submit_review', { verdict: 'approve' });
    case 'resolve_conflict':
      return resolveConflictReply(request);
    default:
      return undefined;
  }
}
