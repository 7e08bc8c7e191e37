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

/**
 * THE redaction function: every logger, error path and export goes through it. Masks
 * Anthropic keys (sk-ant-…), other well-known tokens, bearer/basic credentials, API key
 * headers, URL passwords and Slack webhook URLs. Idempotent: redacting twice changes nothing.
 */
export function redactSecrets(text: string): string {
  let result = text;
  for (const rule of SECRET_RULES) result = applyRule(result, rule);
  for (const secret of extraSecrets) {
    if (secret.length >= 8) result = result.split(secret).join(maskSecret(secret));
  }
  return result;
}

const extraSecrets = new Set<string>();

/** Registers a secret value whose format is not recognisable (e.g. a custom token) so it is masked too. */
export function registerSecretForRedaction(secret: string): void {
  if (secret.length >= 8) extraSecrets.add(secret);
}

/** Redacts every string inside a JSON-like value (for structured logs and exports); returns a copy. */
export function redactDeep<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, seen));
  if (value instanceof Error) return redactError(value);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = redactValue(item, seen);
  return copy;
}

/** A redacted copy of an error (message, stack and cause), safe to log or send to the renderer. */
export function redactError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(redactSecrets(String(error)));
  const copy = new Error(redactSecrets(error.message));
  copy.name = error.name;
  if (error.stack !== undefined) copy.stack = redactSecrets(error.stack);
  if (error.cause !== undefined) copy.cause = redactError(error.cause);
  return copy;
}
