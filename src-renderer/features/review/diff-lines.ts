import { computeNewLineNumber, type FileData } from 'react-diff-view';

/** The name a diff file goes by: its new path, or its old one when it was deleted. */
export function diffFileName(file: FileData): string {
  return file.type === 'delete' ? file.oldPath : file.newPath;
}

/** The lines startLine..endLine of the file after the change, as far as the diff shows them (one per line). */
export function codeOfLines(file: FileData, startLine: number, endLine: number): string {
  const lines: string[] = [];
  for (const hunk of file.hunks) {
    for (const change of hunk.changes) {
      const line = computeNewLineNumber(change);
      if (line >= startLine && line <= endLine) lines.push(change.content);
    }
  }
  return lines.join('\n');
}
