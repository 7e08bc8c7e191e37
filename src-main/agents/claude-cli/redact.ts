// TODO: switch to the shared redaction module in src-main/workspace once it lands.

const ANTHROPIC_KEY = /sk-ant-[A-Za-z0-9_-]+/g;

/** Replaces Anthropic keys (sk-ant-…) and any of the given secret values with a mask. */
export function maskSecrets(text: string, secrets: ReadonlyArray<string> = []): string {
  let masked = text.replace(ANTHROPIC_KEY, 'sk-ant-***');
  for (const secret of secrets) {
    if (secret.length >= 8) masked = masked.split(secret).join('***');
  }
  return masked;
}

/** maskSecrets applied to every string inside a JSON-like value; other values are returned as they are. */
export function maskSecretsDeep(value: unknown, secrets: ReadonlyArray<string> = []): unknown {
  if (typeof value === 'string') return maskSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((item) => maskSecretsDeep(item, secrets));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskSecretsDeep(item, secrets)]));
  }
  return value;
}
