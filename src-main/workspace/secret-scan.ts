import { open, opendir } from 'node:fs/promises';
import path from 'node:path';
import { maskSecret } from './redact';
import { SECRET_RULES, shannonEntropy } from './secret-patterns';

/** One hard-coded secret found in the project. */
export interface SecretFinding {
  /** Project-relative, forward slashes. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  readonly ruleId: string;
  readonly description: string;
  /** The secret masked; the secret itself is never part of a result. */
  readonly masked: string;
}

/** Result of a scan. */
export interface SecretScanResult {
  readonly findings: ReadonlyArray<SecretFinding>;
  readonly filesScanned: number;
  readonly filesSkipped: number;
}

/** Folders never scanned: git data, dependencies, and the orchestrator's own (worktrees are copies of the project). */
export const SCAN_SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['.git', 'node_modules', '.orchestrator']);

const MAX_FILE_BYTES = 2 * 1024 * 1024;
const SCANNED_RULES = SECRET_RULES.filter((rule) => rule.scan);

/** Values that look like secrets but are documentation: placeholders, repeated characters, templates. */
function isPlaceholder(secret: string): boolean {
  if (/^(?:x+|\*+|0+|your|example|changeme|placeholder|dummy|redacted)/i.test(secret)) return true;
  if (/(?:example|placeholder|your[_-]?key|xxxx|\$\{|<)/i.test(secret)) return true;
  return false;
}

/** Finds well-known secrets in one file's text (pure; used by the scan and by tests). */
export function findSecretsInText(file: string, text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const lines = text.split(/\r?\n/);
  const lineStarts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    lineStarts.push(offset);
    offset += line.length + 1;
  }
  for (const rule of SCANNED_RULES) {
    const pattern = new RegExp(rule.pattern.source, rule.pattern.flags);
    for (const match of text.matchAll(pattern)) {
      const secret = match.groups?.['secret'] ?? match[0];
      if (isPlaceholder(secret.trim())) continue;
      if (rule.id === 'generic-secret-assignment' && shannonEntropy(secret) < 3.5) continue;
      const at = (match.index ?? 0) + Math.max(0, match[0].indexOf(secret));
      const lineIndex = lineIndexOf(lineStarts, at);
      const shown = rule.id === 'private-key' ? `${match[0].split('\n')[0] ?? ''}…` : maskSecret(secret, rule);
      if (findings.some((found) => found.line === lineIndex + 1 && overlaps(found, at - (lineStarts[lineIndex] ?? 0)))) continue;
      findings.push({
        file,
        line: lineIndex + 1,
        column: at - (lineStarts[lineIndex] ?? 0) + 1,
        ruleId: rule.id,
        description: rule.description,
        masked: shown,
      });
    }
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** A looser rule matching inside a secret an earlier rule already reported is the same finding. */
function overlaps(found: SecretFinding, column0: number): boolean {
  return Math.abs(found.column - 1 - column0) < 8;
}

function lineIndexOf(lineStarts: ReadonlyArray<number>, at: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= at) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Scans every regular file under the project for hard-coded secrets, skipping .git,
 * node_modules, .orchestrator, symlinks, binary files (a NUL byte in the first 8 KiB), files
 * over 2 MiB and the given project-relative files (the documented `.env`).
 */
export async function scanForSecrets(projectDir: string, options: { readonly skipFiles?: ReadonlyArray<string> } = {}): Promise<SecretScanResult> {
  const skipFiles = new Set(options.skipFiles ?? []);
  const findings: SecretFinding[] = [];
  let filesScanned = 0;
  let filesSkipped = 0;
  const pending: string[] = [''];
  while (pending.length > 0) {
    const relativeDir = pending.pop() ?? '';
    const dir = await opendir(path.join(projectDir, relativeDir)).catch(() => null);
    if (dir === null) continue;
    for await (const entry of dir) {
      const relative = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SCAN_SKIPPED_FOLDERS.has(entry.name)) pending.push(relative);
        continue;
      }
      if (!entry.isFile() || skipFiles.has(relative)) {
        filesSkipped += 1;
        continue;
      }
      const text = await readTextFile(path.join(projectDir, relative));
      if (text === null) {
        filesSkipped += 1;
        continue;
      }
      filesScanned += 1;
      findings.push(...findSecretsInText(relative, text));
    }
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { findings, filesScanned, filesSkipped };
}

/** The file as UTF-8, or null when it is binary, too large or unreadable. */
async function readTextFile(file: string): Promise<string | null> {
  const handle = await open(file, 'r').catch(() => null);
  if (handle === null) return null;
  try {
    const info = await handle.stat();
    if (info.size > MAX_FILE_BYTES) return null;
    const buffer = Buffer.alloc(info.size);
    const { bytesRead } = await handle.read(buffer, 0, info.size, 0);
    const content = buffer.subarray(0, bytesRead);
    if (content.subarray(0, 8192).includes(0)) return null;
    return content.toString('utf8');
  } finally {
    await handle.close();
  }
}
