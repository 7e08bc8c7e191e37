import { MAX_PRD_CHARS } from './limits';

// Both Node and browsers have it; src-shared is compiled without either's type library.
declare const TextDecoder: new (label: string, options: { readonly fatal: boolean }) => { decode(bytes: Uint8Array): string };

/**
 * Why a PRD cannot be planned from, or null when it can: checked before any model call (the CLI,
 * the app's drop and import, the contract and the manager), so a binary file, an empty one or one
 * too large is refused with one clear line and nothing is stored or sent.
 */
export function prdTextProblem(text: string, name = 'The PRD'): string | null {
  if (text.includes('\u0000')) return notText(name);
  if (text.includes('\uFFFD')) return notUtf8(name);
  if (text.trim() === '') return `${name} is empty: write the requirements first.`;
  if (text.length > MAX_PRD_CHARS) {
    return `${name} is too long: ${text.length.toLocaleString('en-US')} characters, at most ${MAX_PRD_CHARS.toLocaleString('en-US')}. Split it into parts and plan them one after another.`;
  }
  return null;
}

/** A PRD file's bytes as text, or why they are not a PRD (binary, not UTF-8, empty, too long). */
export function decodePrdBytes(bytes: Uint8Array, name: string): { readonly text: string } | { readonly problem: string } {
  // NUL first: a binary file is "not text" even when it is also not UTF-8.
  if (bytes.includes(0)) return { problem: notText(name) };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return { problem: notUtf8(name) };
  }
  const problem = prdTextProblem(text, name);
  return problem === null ? { text } : { problem };
}

function notText(name: string): string {
  return `${name} is not text (it contains NUL bytes): give a Markdown or plain-text file.`;
}

function notUtf8(name: string): string {
  return `${name} is not valid UTF-8 text: save it as UTF-8 and try again.`;
}
