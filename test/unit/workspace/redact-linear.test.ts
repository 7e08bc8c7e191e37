import { describe, expect, it } from 'vitest';
import { MASK, redactSecrets, redactSecretsInChunks } from '../../../src-main/workspace/redact';
import { ADVERSARIAL_KINDS, adversarialText } from '../../support/adversarial-text';
import { fake, fakeChars } from '../../integration/workspace/fake-secrets';

const TEN_MB = 10 * 1024 * 1024;

describe('redactSecrets on 10 MB of adversarial input', () => {
  // Generous bound: the rules run at 10-40 MB/s here; the quadratic ones took minutes per MB.
  it.each(ADVERSARIAL_KINDS)('%s: finishes quickly and still masks the secrets in it', { timeout: 60_000 }, (kind) => {
    const key = fake.anthropic(31);
    const token = fakeChars(40, 32);
    const noise = adversarialText(kind, TEN_MB);
    const text = `${noise.slice(0, TEN_MB / 2)}\nkey ${key} and https://bot:${token}@example.com\n${noise.slice(TEN_MB / 2)}`;
    const started = performance.now();
    const redacted = redactSecrets(text);
    const elapsedMs = performance.now() - started;
    expect(elapsedMs, `${kind}: ${Math.round(elapsedMs)} ms`).toBeLessThan(5_000);
    expect(redacted).not.toContain(key);
    expect(redacted).not.toContain(token);
    expect(redacted).toContain(`https://bot:${MASK}@example.com`);
  });

  it('masks extra literal secrets given per call, and only there', () => {
    const value = `custom-${fakeChars(20, 33)}`;
    expect(redactSecrets(`env ${value} end`, { extraSecrets: [value] })).toBe(`env ${MASK} end`);
    expect(redactSecrets(`env ${value} end`)).toBe(`env ${value} end`);
    expect(redactSecrets('short abc', { extraSecrets: ['abc'] })).toBe('short abc');
  });
});

describe('redactSecretsInChunks', () => {
  it('gives what redactSecrets gives, a private key across a piece boundary included', async () => {
    const key = fake.anthropic(61);
    const lines = Array.from({ length: 2_000 }, (_, index) => (index % 97 === 0 ? `+ key ${key}` : `+ line ${index} ${fakeChars(40, index)}`));
    const text = [...lines.slice(0, 1_000), fake.privateKey(62), ...lines.slice(1_000)].join('\n');
    const whole = redactSecrets(text);
    const inKey = text.indexOf('-----BEGIN') + 80; // the first piece would end inside the key
    for (const chunkChars of [1_000, 10_000, inKey]) expect(await redactSecretsInChunks(text, { chunkChars })).toBe(whole);
    expect(whole).not.toContain(key);
    expect(whole).toContain('-----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY-----');
  });
});
