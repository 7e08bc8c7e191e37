/**
 * Well-known secret formats, shared by redaction (mask everywhere) and the security audit's
 * hard-coded secret scan (report only confident matches). One table, so both stay in step.
 */
export interface SecretRule {
  /** Stable id used in audit results, e.g. 'anthropic-api-key'. */
  readonly id: string;
  readonly description: string;
  /** Global regex; group `secret` (when present) is the part to mask, the rest is kept. */
  readonly pattern: RegExp;
  /** Literal text kept in front of the mask so the kind stays recognisable. */
  readonly keepPrefix: number | ((secret: string) => number);
  /** Whether the audit reports matches (loose redaction-only rules are not). */
  readonly scan: boolean;
  /** Shows the last four characters of long secrets, as key dashboards do. */
  readonly showTail: boolean;
}

/** Length-keyed prefix keeper: keeps text up to and including the last fixed separator. */
function prefixUntil(separator: RegExp): (secret: string) => number {
  return (secret) => {
    const match = separator.exec(secret);
    return match ? match.index + match[0].length : 0;
  };
}

/**
 * The rules, most specific first: earlier rules mask before later, looser ones see the text.
 *
 * Every pattern runs in linear time on any input (agents print megabytes of base64): a match
 * may start only at a literal prefix or after a lookbehind boundary (so a long run of letters
 * is scanned from one start, not from each of its characters), optional separators are
 * bounded, and a rule whose name part could be anywhere (URL credentials, generic
 * assignments) starts at its rare literal ('://', ':' or '=') and checks the name behind it
 * with a bounded lookbehind. test/unit/workspace/redact-redos.test.ts runs recheck over each.
 */
export const SECRET_RULES: ReadonlyArray<SecretRule> = [
  {
    id: 'private-key',
    description: 'PEM private key block',
    pattern: /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----(?<secret>(?:[^-]|-(?!----))*)-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----/g,
    keepPrefix: 0,
    scan: true,
    showTail: false,
  },
  {
    id: 'anthropic-api-key',
    description: 'Anthropic API key',
    pattern: /(?<secret>sk-ant-(?:api|admin|oat|ort)\d{2}-[A-Za-z0-9_-]{20,})/g,
    keepPrefix: prefixUntil(/^sk-ant-[a-z]+\d{2}-/),
    scan: true,
    showTail: true,
  },
  {
    id: 'anthropic-api-key-like',
    description: 'Anthropic-style key (sk-ant-…)',
    pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-ant-[A-Za-z0-9_-]{3,})(?![A-Za-z0-9_*-])/g,
    keepPrefix: 7,
    scan: false,
    showTail: true,
  },
  {
    id: 'slack-webhook-url',
    description: 'Slack incoming webhook URL',
    pattern: /(?<secret>https:\/\/hooks\.slack(?:-gov)?\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]{8,})/g,
    keepPrefix: prefixUntil(/^https:\/\/hooks\.slack(?:-gov)?\.com\/[a-z]+\//),
    scan: true,
    showTail: false,
  },
  {
    id: 'slack-token',
    description: 'Slack token',
    pattern: /(?<secret>xox[abposre]-[A-Za-z0-9-]{10,})/g,
    keepPrefix: 5,
    scan: true,
    showTail: true,
  },
  {
    id: 'openai-api-key',
    description: 'OpenAI API key',
    pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,})/g,
    keepPrefix: 3,
    scan: true,
    showTail: true,
  },
  {
    id: 'github-token',
    description: 'GitHub token',
    pattern: /(?<secret>(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}))/g,
    keepPrefix: (secret) => (secret.startsWith('github_pat_') ? 11 : 4),
    scan: true,
    showTail: true,
  },
  {
    id: 'gitlab-token',
    description: 'GitLab personal access token',
    pattern: /(?<secret>glpat-[A-Za-z0-9_-]{20,})/g,
    keepPrefix: 6,
    scan: true,
    showTail: true,
  },
  {
    id: 'aws-access-key-id',
    description: 'AWS access key id',
    pattern: /(?<![A-Z0-9])(?<secret>(?:AKIA|ASIA)[0-9A-Z]{16})(?![A-Z0-9])/g,
    keepPrefix: 4,
    scan: true,
    showTail: true,
  },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key',
    pattern: /aws_?secret_?access_?key["']?\s{0,16}[:=]\s{0,16}["']?(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    keepPrefix: 0,
    scan: true,
    showTail: false,
  },
  {
    id: 'google-api-key',
    description: 'Google API key',
    pattern: /(?<secret>AIza[0-9A-Za-z_-]{35})/g,
    keepPrefix: 4,
    scan: true,
    showTail: true,
  },
  {
    id: 'stripe-key',
    description: 'Stripe secret key',
    pattern: /(?<secret>(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,})/g,
    keepPrefix: (secret) => secret.indexOf('_', 3) + 1,
    scan: true,
    showTail: true,
  },
  {
    id: 'npm-token',
    description: 'npm access token',
    pattern: /(?<secret>npm_[A-Za-z0-9]{36})/g,
    keepPrefix: 4,
    scan: true,
    showTail: true,
  },
  {
    id: 'jwt',
    description: 'JSON Web Token',
    pattern: /(?<![A-Za-z0-9_-])(?<secret>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})/g,
    keepPrefix: 0,
    scan: true,
    showTail: false,
  },
  {
    id: 'url-credentials',
    description: 'Password in a URL',
    pattern: /:\/\/(?<=(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/)[^\s:/@]+:(?<secret>[^\s@/*][^\s@/]*)@/gi,
    keepPrefix: 0,
    scan: true,
    showTail: false,
  },
  {
    id: 'bearer-token',
    description: 'Bearer token',
    pattern: /\b(?:Bearer|Basic|Token)\s{1,16}(?<secret>[A-Za-z0-9._~+/-]{8,}=*)/g,
    keepPrefix: 0,
    scan: false,
    showTail: false,
  },
  {
    id: 'secret-header',
    description: 'Secret in an API key header',
    pattern: /\b(?:x-api-key|api-key|x-auth-token|authorization)["']?\s{0,16}[:=]\s{0,16}["']?(?<secret>[A-Za-z0-9._~+/-]{8,}=*)/gi,
    keepPrefix: 0,
    scan: false,
    showTail: false,
  },
  {
    id: 'generic-secret-assignment',
    description: 'Secret-looking value assigned to a key, token, secret or password',
    pattern:
      /[:=](?<=(?:api_?key|apikey|secret|token|passwd|password|private_?key)[A-Za-z0-9_]{0,60}["']?\s{0,16}[:=])\s{0,16}["'](?<secret>[A-Za-z0-9_\-+/=.]{16,})["']/gi,
    keepPrefix: 0,
    scan: true,
    showTail: false,
  },
];

/** Shannon entropy in bits per character; real secrets are high, words and placeholders low. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}
