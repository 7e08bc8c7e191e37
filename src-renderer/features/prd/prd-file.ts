/** File name endings the PRD editor imports. */
export const PRD_FILE_EXTENSIONS: ReadonlyArray<string> = ['.md', '.markdown', '.txt'];

/** The `accept` attribute of the import file input. */
export const PRD_FILE_ACCEPT = [...PRD_FILE_EXTENSIONS, 'text/markdown', 'text/plain'].join(',');

/** Largest file imported, in bytes (the contract's 500,000-character limit, with room for multi-byte text). */
export const MAX_PRD_FILE_BYTES = 2_000_000;

/** Why a file cannot be imported as a PRD, or null when it can. */
export function prdFileProblem(file: { readonly name: string; readonly size: number }): string | null {
  const name = file.name.toLowerCase();
  if (!PRD_FILE_EXTENSIONS.some((extension) => name.endsWith(extension))) {
    return `"${file.name}" is not a PRD file: drop or import a Markdown or text file (.md, .markdown or .txt).`;
  }
  if (file.size > MAX_PRD_FILE_BYTES) return `"${file.name}" is too large to import: at most 2 MB.`;
  return null;
}
