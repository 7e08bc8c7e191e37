import { describe, expect, it } from 'vitest';
import { GitError } from '../../../src-main/workspace/git';
import { MASK, redactDeep, redactError, redactSecrets, registerSecretForRedaction } from '../../../src-main/workspace/redact';
import { fake, fakeChars } from '../../integration/workspace/fake-secrets';

describe('redactSecrets', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['Anthropic key', fake.anthropic(), /^key=sk-ant-api03-\*\*\*.{2}AA$/],
    ['Anthropic admin key', ['sk', 'ant', 'admin01', fakeChars(40, 5)].join('-'), /^key=sk-ant-admin01-\*\*\*.{4}$/],
    ['short Anthropic-style test key', 'sk-ant-test', /^key=sk-ant-\*\*\*$/],
    ['OpenAI key', fake.openai(), /^key=sk-\*\*\*.{4}$/],
    ['GitHub token', fake.github(), /^key=ghp_\*\*\*.{4}$/],
    ['AWS key id', fake.awsKeyId(), /^key=AKIA\*\*\*$/],
    ['Slack webhook', fake.slackWebhook(), /^key=https:\/\/hooks\.slack\.com\/services\/\*\*\*$/],
    ['Slack token', fake.slackToken(), /^key=xoxb-\*\*\*.{4}$/],
    ['Stripe key', fake.stripe(), /^key=sk_live_\*\*\*.{4}$/],
  ];
  it.each(cases)('masks a %s', (_name, secret, expected) => {
    const redacted = redactSecrets(`key=${secret}`);
    expect(redacted).toMatch(expected);
    expect(redacted).not.toContain(secret);
  });

  it('masks bearer tokens, API key headers, URL passwords and private keys, keeping the surrounding text', () => {
    const token = fakeChars(40, 77);
    const text = [
      `Authorization: Bearer ${token}`,
      `x-api-key: ${token}`,
      `git clone https://user:${token}@example.com/repo.git`,
      fake.privateKey(),
      'plain words stay',
    ].join('\n');
    const redacted = redactSecrets(text);
    expect(redacted).not.toContain(token);
    expect(redacted).toContain(`Authorization: Bearer ${MASK}`);
    expect(redacted).toContain(`x-api-key: ${MASK}`);
    expect(redacted).toContain(`https://user:${MASK}@example.com/repo.git`);
    expect(redacted).toContain('-----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY-----');
    expect(redacted).toContain('plain words stay');
  });

  it('is idempotent and leaves ordinary text alone', () => {
    const text = `calling with ${fake.anthropic()} and Bearer ${fakeChars(30, 3)} to ${fake.slackWebhook()}`;
    const once = redactSecrets(text);
    expect(redactSecrets(once)).toBe(once);
    const ordinary = 'Task sk-ant-… in docs, the skeleton key, token count 42, https://example.com/a?b=c';
    expect(redactSecrets('token count 42, https://example.com/a?b=c')).toBe('token count 42, https://example.com/a?b=c');
    expect(redactSecrets(ordinary)).toBe(ordinary);
  });

  it('masks registered secrets of unknown shape', () => {
    const custom = `custom-${fakeChars(20, 9)}`;
    registerSecretForRedaction(custom);
    expect(redactSecrets(`value ${custom} end`)).toBe(`value ${MASK} end`);
  });

  it('redacts inside objects, arrays and errors (message, stack and cause)', () => {
    const key = fake.anthropic(3);
    const value = { a: [key, 1, null], nested: { b: `x ${key}` }, error: new Error(`bad ${key}`) };
    const json = JSON.stringify({ ...redactDeep(value), error: String(redactDeep(value).error) });
    expect(json).not.toContain(key);
    const error = redactError(new Error(`failed with ${key}`, { cause: new Error(`cause ${key}`) }));
    expect(error.message).not.toContain(key);
    expect(error.stack).not.toContain(key);
    expect(String((error.cause as Error).message)).not.toContain(key);
  });

  it('is applied to git errors', () => {
    const token = fake.github(8);
    const error = new GitError(['push', `https://bot:${token}@github.com/o/r.git`], 128, `fatal: could not read from https://bot:${token}@github.com`);
    expect(error.message).not.toContain(token);
    expect(error.message).toContain('git push https://bot:***@github.com/o/r.git failed (exit 128)');
  });
});
