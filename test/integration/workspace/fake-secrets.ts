/**
 * Secret-shaped test values, built at run time so this repository never contains a literal
 * that a secret scanner (ours included) would flag.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Deterministic pseudo-random characters from `alphabet`. */
export function fakeChars(length: number, seed: number, alphabet = ALPHABET): string {
  let state = seed >>> 0 || 1;
  let out = '';
  for (let i = 0; i < length; i += 1) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out += alphabet[(state >>> 16) % alphabet.length];
  }
  return out;
}

/** Test values of every format the audit and redaction know. */
export const fake = {
  anthropic: (seed = 1) => ['sk', 'ant', 'api03', `${fakeChars(86, seed)}AA`].join('-'),
  openai: (seed = 2) => ['sk', 'proj', fakeChars(48, seed)].join('-'),
  github: (seed = 3) => `${'ghp'}_${fakeChars(36, seed)}`,
  awsKeyId: (seed = 4) => `${'AKIA'}${fakeChars(16, seed, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
  slackWebhook: (seed = 5) => `https://hooks.slack.com/${'services'}/T${fakeChars(8, seed)}/B${fakeChars(8, seed + 1)}/${fakeChars(24, seed + 2)}`,
  slackToken: (seed = 6) => `${'xoxb'}-${fakeChars(12, seed, '0123456789')}-${fakeChars(24, seed + 1)}`,
  stripe: (seed = 7) => `${'sk'}_${'live'}_${fakeChars(24, seed)}`,
  privateKey: (seed = 8) => [`-----BEGIN ${'RSA PRIVATE'} KEY-----`, fakeChars(64, seed), fakeChars(64, seed + 1), `-----END ${'RSA PRIVATE'} KEY-----`].join('\n'),
  password: (seed = 9) => fakeChars(24, seed),
};
