import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../src-main/agents/claude-cli/line-splitter';
import { parseStreamLine, toLogEvents } from '../../../src-main/agents/claude-cli';

const init = '{"type":"system","subtype":"init","cwd":"/repo","session_id":"s-1","tools":["Bash"],"model":"claude-sonnet-4-5","permissionMode":"acceptEdits"}';
const assistant =
  '{"type":"assistant","message":{"id":"msg_1","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Writing."},{"type":"tool_use","id":"toolu_1","name":"Write","input":{"file_path":"/repo/a.txt","content":"x"}}],"usage":{"input_tokens":3,"output_tokens":5}},"session_id":"s-1"}';
const toolResult = '{"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_1","type":"tool_result","content":"boom","is_error":true}]},"session_id":"s-1"}';
const result =
  '{"type":"result","subtype":"success","is_error":false,"num_turns":2,"result":"Done.","session_id":"s-1","total_cost_usd":0.0123,"usage":{"input_tokens":4,"output_tokens":70},"modelUsage":{"claude-sonnet-4-5":{"inputTokens":4,"outputTokens":70,"costUSD":0.0123}}}';

describe('Claude Code stream-json parser', () => {
  it('reads the init event with the session id', () => {
    expect(parseStreamLine(init)).toMatchObject({ kind: 'init', sessionId: 's-1', model: 'claude-sonnet-4-5' });
    expect(toLogEvents(parseStreamLine(init)!)).toEqual([expect.objectContaining({ kind: 'system', text: 'Session s-1 started with claude-sonnet-4-5' })]);
  });

  it('turns each content block of an assistant message into its own log event', () => {
    const logs = toLogEvents(parseStreamLine(assistant)!);
    expect(logs.map((log) => [log.kind, log.text])).toEqual([
      ['assistant.text', 'Writing.'],
      ['tool_use', 'Write /repo/a.txt'],
    ]);
  });

  it('marks failed tool results', () => {
    expect(toLogEvents(parseStreamLine(toolResult)!)).toEqual([expect.objectContaining({ kind: 'tool_result', text: 'error: boom' })]);
  });

  it('reads the result with cost, usage and per-model usage', () => {
    const event = parseStreamLine(result);
    expect(event).toMatchObject({ kind: 'result', event: { subtype: 'success', is_error: false, total_cost_usd: 0.0123, modelUsage: { 'claude-sonnet-4-5': { costUSD: 0.0123 } } } });
    expect(toLogEvents(event!)[0]?.text).toBe('success, 2 turns, $0.0123: Done.');
  });

  it('keeps an API failure that says subtype success but is_error true', () => {
    const line = '{"type":"result","subtype":"success","is_error":true,"api_error_status":401,"result":"Invalid API key · Fix external API key","session_id":"s"}';
    expect(parseStreamLine(line)).toMatchObject({ kind: 'result', event: { is_error: true, api_error_status: 401 } });
    expect(toLogEvents(parseStreamLine(line)!)[0]?.text).toContain('(error)');
  });

  it('keeps unknown event types and known types of an unexpected shape as unknown, never throwing', () => {
    expect(parseStreamLine('{"type":"rate_limit_event","rate_limit_info":{"status":"allowed"}}')).toMatchObject({ kind: 'unknown', type: 'rate_limit_event' });
    expect(parseStreamLine('{"type":"assistant","message":"not an object"}')).toMatchObject({ kind: 'unknown', type: 'assistant' });
    expect(parseStreamLine('[1,2,3]')).toMatchObject({ kind: 'unknown', type: '(no type)' });
    expect(parseStreamLine('{"type":"system","subtype":"api_retry","attempt":1,"max_retries":10,"error_status":529}')).toMatchObject({ kind: 'system', subtype: 'api_retry' });
    expect(toLogEvents(parseStreamLine('{"type":"system","subtype":"api_retry","attempt":1,"max_retries":10,"error_status":529}')!)[0]?.text).toBe('API retry 1/10 after 529');
  });

  it('reports non-JSON lines as invalid and skips blank ones', () => {
    expect(parseStreamLine('Warning: something')).toEqual({ kind: 'invalid', line: 'Warning: something' });
    expect(parseStreamLine('   ')).toBeUndefined();
  });
});

describe('LineSplitter', () => {
  it('buffers partial lines across chunks', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('{"a":')).toEqual([]);
    expect(splitter.push('1}\n{"b"')).toEqual(['{"a":1}']);
    expect(splitter.push(':2}\r\n\n')).toEqual(['{"b":2}', '']);
    expect(splitter.push('tail')).toEqual([]);
    expect(splitter.flush()).toEqual(['tail']);
    expect(splitter.flush()).toEqual([]);
  });

  it('handles a \\r\\n split across chunks', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('one\r')).toEqual([]);
    expect(splitter.push('\ntwo\r\n')).toEqual(['one', 'two']);
  });

  it('reads a 20 MB line arriving in 1 KB chunks without re-scanning it per chunk, then the lines after it', () => {
    // Re-splitting `pending + chunk` copied the growing line on every chunk: ~200 GB of copying here.
    const text = 'A'.repeat(20 * 1024 * 1024);
    const line = JSON.stringify({ type: 'assistant', message: { content: [{ type: 'text', text }] } });
    const stream = `${line}\n{"type":"result","subtype":"success","is_error":false}\n`;
    const splitter = new LineSplitter();
    const lines: string[] = [];
    for (let start = 0; start < stream.length; start += 1024) lines.push(...splitter.push(stream.slice(start, start + 1024)));
    expect(lines).toHaveLength(2);
    const big = parseStreamLine(lines[0] ?? '');
    expect(big?.kind).toBe('assistant');
    if (big?.kind === 'assistant') expect(String(big.event.message.content[0]?.['text']).length).toBe(text.length);
    expect(parseStreamLine(lines[1] ?? '')?.kind).toBe('result');
    // Linear work takes well under a second on a quiet machine; quadratic re-scanning could not finish in a minute.
  }, 60_000);
});
