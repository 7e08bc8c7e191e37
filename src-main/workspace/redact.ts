import { SECRET_RULES, type SecretRule } from './secret-patterns';

/** What every mask contains; never itself matched by a rule, so redaction is idempotent. */
export const MASK = '***';

/** Masks one matched secret: keeps the rule's prefix and, for long secrets, the last four characters. */
export function maskSecret(secret: string, rule?: Pick<SecretRule, 'keepPrefix' | 'showTail'>): string {
  const keep = rule === undefined ? 0 : typeof rule.keepPrefix === 'number' ? rule.keepPrefix : rule.keepPrefix(secret);
  const prefix = secret.slice(0, Math.max(0, Math.min(keep, secret.length)));
  const rest = secret.slice(prefix.length);
  const tail = rule?.showTail === true && rest.length >= 24 ? rest.slice(-4) : '';
  return `${prefix}${MASK}${tail}`;
}

/** Applies one rule to a text, masking only the `secret` group of each match. */
function applyRule(text: string, rule: SecretRule): string {
  rule.pattern.lastIndex = 0;
  return text.replace(rule.pattern, (...args: unknown[]) => {
    const match = args[0] as string;
    const groups = args[args.length - 1] as Record<string, string | undefined> | undefined;
    const secret = groups?.['secret'];
    if (secret === undefined || secret === '' || secret.startsWith(MASK)) return match;
    const at = match.lastIndexOf(secret);
    return `${match.slice(0, at)}${maskSecret(secret, rule)}${match.slice(at + secret.length)}`;
  });
}

/** Per-call additions to the registered secrets: literal values (e.g. an attempt's environment) masked wherever they appear. */
export interface RedactOptions {
  /** Values of eight characters or more are masked; shorter ones are ignored (too likely to be ordinary words). */
  readonly extraSecrets?: ReadonlyArray<string>;
}

/**
 * THE redaction function: every logger, error path and export goes through it. Masks
 * Anthropic keys (sk-ant-…), other well-known tokens, bearer/basic credentials, API key
 * headers, URL passwords, Slack webhook URLs, registered secrets and `extraSecrets`.
 * Idempotent: redacting twice changes nothing. Linear in the length of the text: no rule
 * backtracks (checked by recheck in test/unit/workspace/redact-redos.test.ts).
 */
export function redactSecrets(text: string, options?: RedactOptions): string {
  let result = text;
  for (const rule of SECRET_RULES) result = applyRule(result, rule);
  for (const secret of extraSecrets) result = maskLiteral(result, secret);
  for (const secret of options?.extraSecrets ?? []) result = maskLiteral(result, secret);
  return result;
}

function maskLiteral(text: string, secret: string): string {
  if (secret.length < 8 || !text.includes(secret)) return text;
  return text.split(secret).join(maskSecret(secret));
}

const extraSecrets = new Set<string>();

/** Registers a secret value whose format is not recognisable (e.g. a custom token) so it is masked too. */
export function registerSecretForRedaction(secret: string): void {
  if (secret.length >= 8) extraSecrets.add(secret);
}

/**
 * redactSecrets for large texts (a diff, an export) without holding the event loop: the text is
 * redacted in pieces of about `chunkChars` cut at line ends, yielding between pieces. A piece
 * that opens a PEM private key block runs on to the block's end, so a key is masked whole.
 */
export async function redactSecretsInChunks(text: string, options?: RedactOptions & { readonly chunkChars?: number }): Promise<string> {
  const chunkChars = options?.chunkChars ?? 256 * 1024;
  if (text.length <= chunkChars) return redactSecrets(text, options);
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + chunkChars);
    if (end < text.length) {
      const lineEnd = text.indexOf('\n', end);
      end = lineEnd === -1 ? text.length : lineEnd + 1;
      const opened = text.lastIndexOf('-----BEGIN ', end);
      if (opened >= start && text.lastIndexOf('-----END ', end) < opened) {
        const closed = text.indexOf('-----END ', end);
        const closedLineEnd = closed === -1 ? -1 : text.indexOf('\n', closed);
        end = closedLineEnd === -1 ? text.length : closedLineEnd + 1;
      }
    }
    parts.push(redactSecrets(text.slice(start, end), options));
    start = end;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return parts.join('');
}

/** Redacts every string inside a JSON-like value (for structured logs and exports); returns a copy. */
export function redactDeep<T>(value: T, options?: RedactOptions): T {
  return redactValue(value, new WeakSet(), options) as T;
}

function redactValue(value: unknown, seen: WeakSet<object>, options: RedactOptions | undefined): unknown {
  if (typeof value === 'string') return redactSecrets(value, options);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, seen, options));
  if (value instanceof Error) return redactError(value, options);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = redactValue(item, seen, options);
  return copy;
}

/** A redacted copy of an error (message, stack and cause), safe to log or send to the renderer. */
export function redactError(error: unknown, options?: RedactOptions): Error {
  if (!(error instanceof Error)) return new Error(redactSecrets(String(error), options));
  const copy = new Error(redactSecrets(error.message, options));
  copy.name = error.name;
  if (error.stack !== undefined) copy.stack = redactSecrets(error.stack, options);
  if (error.cause !== undefined) copy.cause = redactError(error.cause, options);
  return copy;
}
