import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { classifyModelError, redactKey } from '../../../src-main/agents/manager/model-errors';
import { DEFAULT_PRICE_TABLE } from '../../../src-main/agents/pricing/default-prices';
import { costOf } from '../../../src-main/agents/pricing/price-table';

const KEY = 'sk-ant-api03-abcdefSECRET';

function apiError(status: number, message: string, headers: Record<string, string> = {}): Error {
  return Anthropic.APIError.generate(status, { type: 'error', error: { type: 'x', message } }, undefined, new Headers(headers));
}

describe('costOf', () => {
  it('prices every kind of token from the table, including dated snapshots', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000, cacheCreationInputTokens: 1_000_000, cacheReadInputTokens: 1_000_000 };
    expect(costOf(usage, 'claude-sonnet-4-5', DEFAULT_PRICE_TABLE)).toEqual({ costUsd: 3 + 15 + 3.75 + 0.3, priced: true });
    expect(costOf(usage, 'claude-sonnet-4-5-20250929', DEFAULT_PRICE_TABLE).costUsd).toBeCloseTo(22.05);
    expect(costOf(usage, 'some-new-model', DEFAULT_PRICE_TABLE)).toEqual({ costUsd: 0, priced: false });
    expect(costOf(usage, 'mine', { mine: { inputPerMTok: 1, outputPerMTok: 0, cacheWritePerMTok: 0, cacheReadPerMTok: 0 } }).costUsd).toBe(1);
  });
});

describe('classifyModelError', () => {
  it('makes auth failures permanent and never repeats the key', () => {
    const failure = classifyModelError(apiError(401, `invalid x-api-key ${KEY}`), KEY);
    expect(failure).toMatchObject({ errorClass: 'permanent' });
    expect(failure.message).not.toContain(KEY);
    expect(classifyModelError(apiError(403, 'no access'), KEY)).toMatchObject({ errorClass: 'permanent' });
    expect(classifyModelError(apiError(400, `bad request with ${KEY}`), KEY).message).toBe('The Anthropic API refused the request (400): bad request with sk-ant-***');
  });

  it('makes rate limits, overload, 5xx and connection failures transient, with retry-after', () => {
    expect(classifyModelError(apiError(429, 'slow down', { 'retry-after': '3' }), KEY)).toMatchObject({ errorClass: 'transient', retryAfterMs: 3_000 });
    expect(classifyModelError(apiError(529, 'overloaded'), KEY)).toMatchObject({ errorClass: 'transient' });
    expect(classifyModelError(apiError(503, 'unavailable'), KEY)).toMatchObject({ errorClass: 'transient' });
    expect(classifyModelError(new Anthropic.APIConnectionError({ message: 'reset' }), KEY)).toMatchObject({ errorClass: 'transient', midStream: false });
  });

  it('treats an error event inside a stream as a transient mid-stream failure and aborts as cancellation', () => {
    const midStream = new Anthropic.APIError(undefined, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, undefined, new Headers());
    expect(classifyModelError(midStream, KEY)).toMatchObject({ errorClass: 'transient', midStream: true });
    expect(classifyModelError(new Anthropic.APIUserAbortError(), KEY).name).toBe('CallAbortedError');
    expect(classifyModelError(apiError(400, 'prompt is too long: 250000 tokens'), KEY)).toMatchObject({ errorClass: 'recoverable' });
  });

  it('redacts the key and anything shaped like an Anthropic key or another known secret, as redactSecrets does', () => {
    expect(redactKey(`a ${KEY} b sk-ant-other_123 c`, KEY)).toBe('a sk-ant-*** b sk-ant-*** c');
    expect(redactKey('custom key my-own-secret-value here', 'my-own-secret-value')).toBe('custom key *** here');
    const githubToken = `ghp_${'A1b2C3d4'.repeat(5)}`;
    expect(redactKey(`push with ${githubToken}`, KEY)).not.toContain(githubToken);
  });
});

describe('commandEnvironment', () => {
  it('passes the host environment to commands without keys, tokens or secrets', async () => {
    const { commandEnvironment } = await import('../../../src-main/agents/api-worker/run-command');
    const env = commandEnvironment({ PATH: '/bin', HOME: '/root', ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: 'x', GITHUB_TOKEN: 't', OPENAI_API_KEY: 'k', DB_PASSWORD: 'p' });
    expect(env).toEqual({ PATH: '/bin', HOME: '/root' });
  });
});
