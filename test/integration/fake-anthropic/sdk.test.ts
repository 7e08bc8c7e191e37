import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { matchers, startFakeAnthropic, textReply, toolUseReply } from '../../support/fake-anthropic';
import type { FakeAnthropic } from '../../support/fake-anthropic';

const MODEL = 'claude-sonnet-5-5';

describe('fake Anthropic server with the real SDK', () => {
  let fake: FakeAnthropic;
  let client: Anthropic;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: fake.url, maxRetries: 3 });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('answers a non-streaming request with the scripted text, usage and headers', async () => {
    fake.enqueue(textReply('Hello from the fake.'));
    const { data: message, response } = await client.messages
      .create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'Hi there' }] })
      .withResponse();
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from the fake.' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.model).toBe(MODEL);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(response.headers.get('request-id')).toMatch(/^req_fake_/);
    expect(Number(response.headers.get('anthropic-ratelimit-requests-remaining'))).toBeGreaterThan(0);
    const [recorded] = fake.messageRequests();
    // SDK 1.x sends the key as a Bearer token; Claude Code sends x-api-key. The fake accepts both.
    expect(String(recorded?.headers['authorization'] ?? recorded?.headers['x-api-key'])).toContain('sk-ant-test');
    expect(recorded?.body?.messages?.[0]?.content).toBe('Hi there');
  });

  it('answers with a default "Done." when nothing is scripted, and counts tokens', async () => {
    const message = await client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Done.' });
    const count = await client.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'a'.repeat(400) }] });
    expect(count.input_tokens).toBeGreaterThanOrEqual(100);
  });

  it('streams text and a tool_use whose input arrives in several JSON chunks', async () => {
    fake.enqueue(toolUseReply('Write', { file_path: 'notes/hello.txt', content: 'Hello, world!\nSecond line.' }, { text: 'I will write the file.' }));
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 100,
      tools: [{ name: 'Write', description: 'write a file', input_schema: { type: 'object', properties: {} } }],
      messages: [{ role: 'user', content: 'write it' }],
    });
    const eventTypes: string[] = [];
    let jsonChunks = 0;
    stream.on('streamEvent', (event) => {
      eventTypes.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') jsonChunks += 1;
    });
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'I will write the file.' });
    expect(message.content[1]).toMatchObject({ type: 'tool_use', name: 'Write', input: { file_path: 'notes/hello.txt', content: 'Hello, world!\nSecond line.' } });
    expect(jsonChunks).toBeGreaterThan(1);
    expect(eventTypes[0]).toBe('message_start');
    expect(eventTypes.at(-1)).toBe('message_stop');
    expect(message.usage.output_tokens).toBeGreaterThan(0);
  });

  it('reads cache_control prefixes from cache after the first identical request', async () => {
    const request = {
      model: MODEL,
      max_tokens: 10,
      system: [{ type: 'text' as const, text: 'A long stable system prompt. '.repeat(200), cache_control: { type: 'ephemeral' as const } }],
      messages: [{ role: 'user' as const, content: 'question' }],
    };
    const first = await client.messages.create(request);
    const second = await client.messages.create(request);
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(1000);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
  });

  it('retries 429 honouring retry-after and 529, then gets the scripted reply', async () => {
    fake.enqueue(textReply('after the storm'));
    fake.failNext(2, [{ kind: 'rate_limit', retryAfterSeconds: 1 }, { kind: 'overloaded' }]);
    const started = Date.now();
    const message = await client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    expect(message.content[0]).toMatchObject({ text: 'after the storm' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.messageRequests().map((r) => r.outcome)).toEqual(['fault:rate_limit', 'fault:overloaded', 'script']);
    expect(fake.messageRequests()[1]?.headers['x-stainless-retry-count']).toBe('1');
  });

  it('surfaces 500 and connection resets after retries are exhausted', async () => {
    const noRetry = new Anthropic({ apiKey: 'sk-ant-test', baseURL: fake.url, maxRetries: 0 });
    fake.failNext(2, [{ kind: 'server_error' }, { kind: 'connection_reset' }]);
    await expect(noRetry.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 500 });
    await expect(noRetry.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(Anthropic.APIConnectionError);
  });

  it('delivers a mid-stream error event to the caller and keeps the script reply for the retry', async () => {
    fake.enqueue(textReply('complete answer'));
    fake.failNext(1, { kind: 'mid_stream_error', afterEvents: 4 });
    const stream = client.messages.stream({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    await expect(stream.finalMessage()).rejects.toThrow(/Overloaded/);
    const retry = await client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    expect(retry.content[0]).toMatchObject({ text: 'complete answer' });
  });

  it('rejects a wrong or missing key with 401 when a valid key is configured', async () => {
    const strict = await startFakeAnthropic({ validApiKeys: ['sk-ant-right'] });
    try {
      const wrong = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: strict.url, maxRetries: 0 });
      await expect(wrong.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
      const bearer = new Anthropic({ authToken: 'sk-ant-right', apiKey: null, baseURL: strict.url, maxRetries: 0 });
      const message = await bearer.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
      expect(message.content[0]).toMatchObject({ text: 'Done.' });
    } finally {
      await strict.close();
    }
  });

  it('routes only matching requests to a script, fails randomly but reproducibly, and waits for slow replies', async () => {
    const agent = fake.script({ match: matchers.hasTools, respond: () => textReply('agent turn') });
    const tools = [{ name: 'Read', description: 'read', input_schema: { type: 'object' as const, properties: {} } }];
    const side = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'title?' }] });
    const main = await client.messages.create({ model: MODEL, max_tokens: 10, tools, messages: [{ role: 'user', content: 'work' }] });
    expect(side.content[0]).toMatchObject({ text: 'Done.' });
    expect(main.content[0]).toMatchObject({ text: 'agent turn' });
    expect(agent.answered).toHaveLength(1);

    const outcomes = async (seed: number): Promise<string[]> => {
      const other = await startFakeAnthropic();
      other.failRandomly({ probability: 0.5, seed, faults: [{ kind: 'server_error' }, { kind: 'rate_limit', retryAfterSeconds: 0 }] });
      const retrying = new Anthropic({ apiKey: 'sk-ant-test', baseURL: other.url, maxRetries: 0 });
      for (let i = 0; i < 10; i += 1) {
        await retrying.messages.create({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch(() => undefined);
      }
      await other.close();
      return other.messageRequests().map((r) => r.outcome);
    };
    const first = await outcomes(42);
    expect(await outcomes(42)).toEqual(first);
    expect(first.filter((o) => o.startsWith('fault:')).length).toBeGreaterThan(0);
    expect(first).toContain('default');

    fake.failNext(1, { kind: 'slow', delayMs: 300 });
    const started = Date.now();
    await client.messages.create({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});
