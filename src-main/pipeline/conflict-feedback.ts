import type { ConflictedFile } from '../workspace/merge-worktree';

const MAX_HUNKS_CHARS = 20_000;
const MAX_DIFF_CHARS = 20_000;
const CONTEXT_LINES = 3;

/** The parts of a conflicted file between markers, with a few lines around each, for a person or an agent to read. */
export function conflictHunks(file: ConflictedFile): string {
  const lines = file.content.split('\n');
  const keep = new Set<number>();
  let inside = false;
  lines.forEach((line, index) => {
    if (line.startsWith('<<<<<<<')) inside = true;
    if (inside) for (let near = index - CONTEXT_LINES; near <= index + CONTEXT_LINES; near += 1) keep.add(near);
    if (line.startsWith('>>>>>>>')) inside = false;
  });
  const out: string[] = [];
  let last = -2;
  for (let index = 0; index < lines.length; index += 1) {
    if (!keep.has(index)) continue;
    if (index !== last + 1) out.push(`@@ line ${index + 1}`);
    out.push(lines[index] ?? '');
    last = index;
  }
  return out.join('\n');
}

/** What a task's next attempt is told when its work conflicted with work merged meanwhile. */
export function conflictFeedback(input: {
  readonly files: ReadonlyArray<string>;
  readonly conflicted: ReadonlyArray<ConflictedFile>;
  readonly previousDiff: string;
}): string {
  const sections = [
    `Your previous attempt's work could not be merged: it conflicts with work other tasks merged meanwhile, in ${input.files.join(', ')}.`,
    'This attempt starts from the current integration tip, which already contains that other work. Make your change again on top of it, keeping what the others added.',
  ];
  if (input.conflicted.length > 0) {
    let hunks = input.conflicted.map((file) => `--- ${file.path}\n${conflictHunks(file)}`).join('\n');
    if (hunks.length > MAX_HUNKS_CHARS) hunks = `${hunks.slice(0, MAX_HUNKS_CHARS)}\n… (cut)`;
    sections.push('The conflicting parts (between <<<<<<< and ||||||| the current tip, between ======= and >>>>>>> your previous attempt):', '```', hunks, '```');
  }
  if (input.previousDiff.trim() !== '') {
    const diff = input.previousDiff.length > MAX_DIFF_CHARS ? `${input.previousDiff.slice(0, MAX_DIFF_CHARS)}\n… (cut)` : input.previousDiff;
    sections.push("Your previous attempt's change was:", '```diff', diff.trimEnd(), '```');
  }
  return sections.join('\n');
}
