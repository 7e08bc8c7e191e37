import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { ToolError } from './workspace-paths';

/** Folders never listed or searched. */
const SKIPPED = new Set(['.git', 'node_modules']);
const MAX_SEARCH_FILE_BYTES = 1_000_000;

/** Reads a text file, optionally a range of lines, cut at `maxChars`. */
export async function readTextFile(path: string, shown: string, maxChars: number, offsetLine?: number, limitLines?: number): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new ToolError(`${shown} does not exist`);
  if (info.isDirectory()) throw new ToolError(`${shown} is a directory; use list_files`);
  let text = await readFile(path, 'utf8');
  if (offsetLine !== undefined || limitLines !== undefined) {
    const lines = text.split('\n');
    const start = Math.max(0, (offsetLine ?? 1) - 1);
    text = lines.slice(start, limitLines === undefined ? undefined : start + limitLines).join('\n');
  }
  return text.length > maxChars ? `${text.slice(0, maxChars)}\n… (cut at ${maxChars} characters; read a line range for more)` : text;
}

/** Writes a file, creating folders; returns whether it existed before. */
export async function writeTextFile(path: string, content: string): Promise<boolean> {
  const existed = await stat(path).then((info) => {
    if (info.isDirectory()) throw new ToolError('the path is a directory');
    return true;
  }, () => false);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content, 'utf8');
  return existed;
}

/** Replaces an exact string; it must occur exactly once unless `replaceAll`. Returns the number of replacements. */
export async function editTextFile(path: string, shown: string, oldString: string, newString: string, replaceAll: boolean): Promise<number> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new ToolError(`${shown} does not exist; use write_file to create it`);
  });
  if (oldString === '') throw new ToolError('old_string must not be empty');
  const count = text.split(oldString).length - 1;
  if (count === 0) throw new ToolError(`old_string was not found in ${shown}`);
  if (count > 1 && !replaceAll) throw new ToolError(`old_string occurs ${count} times in ${shown}; give more context or set replace_all`);
  const updated = replaceAll ? text.split(oldString).join(newString) : text.replace(oldString, () => newString);
  await writeFile(path, updated, 'utf8');
  return replaceAll ? count : 1;
}

/** Lists a folder (recursively when asked), folders marked with '/', skipping .git and node_modules and not following links. */
export async function listFiles(root: string, folder: string, recursive: boolean, maxEntries: number): Promise<string> {
  const entries: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const children = await readdir(dir, { withFileTypes: true }).catch(() => {
      throw new ToolError(`${relative(root, dir) || '.'} is not a readable folder`);
    });
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      if (entries.length >= maxEntries) return;
      const path = join(dir, child.name);
      const shown = relative(root, path);
      if (child.isDirectory()) {
        entries.push(`${shown}/`);
        if (recursive && !SKIPPED.has(child.name)) await walk(path);
      } else {
        entries.push(child.isSymbolicLink() ? `${shown} (link)` : shown);
      }
    }
  };
  await walk(folder);
  if (entries.length >= maxEntries) entries.push(`… (stopped at ${maxEntries} entries)`);
  return entries.length === 0 ? '(empty)' : entries.join('\n');
}

/** Finds lines matching a substring or regular expression in the files below a folder. */
export async function searchFiles(root: string, folder: string, pattern: string, isRegex: boolean, caseSensitive: boolean, maxMatches: number): Promise<string> {
  let matcher: (line: string) => boolean;
  if (isRegex) {
    let expression: RegExp;
    try {
      expression = new RegExp(pattern, caseSensitive ? '' : 'i');
    } catch (error) {
      throw new ToolError(`invalid regular expression: ${(error as Error).message}`);
    }
    matcher = (line) => expression.test(line);
  } else {
    const needle = caseSensitive ? pattern : pattern.toLowerCase();
    matcher = (line) => (caseSensitive ? line : line.toLowerCase()).includes(needle);
  }
  const matches: string[] = [];
  const visit = async (path: string): Promise<void> => {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined || !info.isFile() || info.size > MAX_SEARCH_FILE_BYTES) return;
    const text = await readFile(path, 'utf8');
    if (text.includes('\0')) return;
    text.split('\n').forEach((line, index) => {
      if (matches.length < maxMatches && matcher(line)) matches.push(`${relative(root, path)}:${index + 1}: ${line.slice(0, 300)}`);
    });
  };
  const walk = async (dir: string): Promise<void> => {
    const children = await readdir(dir, { withFileTypes: true });
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      if (matches.length >= maxMatches) return;
      if (child.isDirectory()) {
        if (!SKIPPED.has(child.name)) await walk(join(dir, child.name));
      } else if (child.isFile()) {
        await visit(join(dir, child.name));
      }
    }
  };
  const info = await stat(folder).catch(() => undefined);
  if (info === undefined) throw new ToolError(`${relative(root, folder) || '.'} does not exist`);
  if (info.isDirectory()) await walk(folder);
  else await visit(folder);
  if (matches.length >= maxMatches) matches.push(`… (stopped at ${maxMatches} matches)`);
  return matches.length === 0 ? 'no matches' : matches.join('\n');
}
