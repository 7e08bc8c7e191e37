import { seededRandom } from './prng';

/** Kinds of input the redaction test and benchmark feed to redactSecrets. */
export type AdversarialKind = 'base64' | 'alphanumeric' | 'url-prefixes' | 'near-miss' | 'text';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Prefixes of secret formats that never complete, each repeated without separators: every
 * one makes a backtracking rule start a match and scan to the end of the run.
 */
const NEAR_MISSES: ReadonlyArray<string> = [
  'sk-ant-',
  'sk-ant-api03-',
  'eyJ',
  'eyJabcdefghijk.',
  'token',
  'api_key',
  'xoxb-',
  'ghp_',
  'github_pat_',
  'glpat-',
  'AKIA',
  'AIza',
  'sk_live_',
  'npm_',
  'Bearer ',
  'x-api-key: ',
  'aws_secret_access_key=',
  'password="',
  '-----BEGIN RSA PRIVATE KEY-----',
  'https://user:',
  'a:',
];

const WORDS = ['the', 'worker', 'wrote', 'file', 'token', 'count', 'secret', 'key', 'https://example.com/a', 'user:', 'Bearer', 'password', 'eyJ', 'sk-ant-', 'ghp_', 'AKIA', 'src/app.ts', '=', '"'];

/** `length` characters drawn from an alphabet of single-byte characters, built as bytes (fast at 10 MB). */
function randomRun(alphabet: string, length: number, random: () => number): string {
  const bytes = new Uint8Array(length);
  for (let index = 0; index < length; index += 1) bytes[index] = alphabet.charCodeAt(Math.floor(random() * alphabet.length));
  return new TextDecoder('latin1').decode(bytes);
}

/** Deterministic text of `length` characters of one adversarial kind. */
export function adversarialText(kind: AdversarialKind, length: number, seed = 18): string {
  const random = seededRandom(seed);
  if (kind === 'base64') return randomRun(BASE64, length, random);
  if (kind === 'alphanumeric') return randomRun(ALPHANUMERIC, length, random);
  const pick = (alphabet: string | ReadonlyArray<string>): string => alphabet[Math.floor(random() * alphabet.length)] ?? '';
  const parts: string[] = [];
  let size = 0;
  const add = (part: string): void => {
    parts.push(part);
    size += part.length;
  };
  while (size < length) {
    if (kind === 'url-prefixes') {
      // a://a://… and users with passwords that never reach an '@'.
      add(random() < 0.5 ? 'a://' : `${pick(ALPHANUMERIC)}${pick(ALPHANUMERIC)}://u:${pick(ALPHANUMERIC)}`);
    } else if (kind === 'near-miss') {
      const prefix = pick(NEAR_MISSES);
      const repeats = 1 + Math.floor(random() * 2_000);
      for (let index = 0; index < repeats && size < length; index += 1) add(prefix);
      add('*');
    } else {
      add(pick(WORDS));
      add(random() < 0.1 ? '\n' : ' ');
    }
  }
  return parts.join('').slice(0, length);
}

/** Every kind, in a fixed order. */
export const ADVERSARIAL_KINDS: ReadonlyArray<AdversarialKind> = ['base64', 'alphanumeric', 'url-prefixes', 'near-miss', 'text'];
