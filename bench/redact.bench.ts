/**
 * Redaction throughput (issue 18). Prints figures; nothing is asserted. Run: npm run bench:redact
 * Optional arguments: sizes in KB (default 1024 10240). Each kind of adversarial input from
 * test/support/adversarial-text.ts is redacted once per size after a warm-up; a size is skipped
 * for a kind once a smaller one took more than 10 s (quadratic rules would take hours).
 * Then one 2 MB stream-json line (base64 text) through each step the Claude Code backend takes.
 */
import { randomBytes } from 'node:crypto';
import { LineSplitter } from '../src-main/agents/claude-cli/line-splitter';
import { toLogEvents } from '../src-main/agents/claude-cli/log-events';
import { parseStreamLine } from '../src-main/agents/claude-cli/stream-events';
import { boundLogEvent } from '../src-main/engine/log-bounds';
import { redactSecrets } from '../src-main/workspace/redact';
import { ADVERSARIAL_KINDS, adversarialText } from '../test/support/adversarial-text';

const sizesKb = process.argv.slice(2).map(Number).filter((size) => size > 0);
const sizes = (sizesKb.length > 0 ? sizesKb : [1_024, 10_240]).map((kb) => kb * 1_024);

redactSecrets(adversarialText('text', 10_000));
redactSecrets(adversarialText('base64', 10_000));
console.log(`kind           ${sizes.map((size) => `${(size / 1_048_576).toFixed(3)} MB`.padStart(22)).join('')}`);
for (const kind of ADVERSARIAL_KINDS) {
  const cells: string[] = [];
  let tooSlow = false;
  for (const size of sizes) {
    if (tooSlow) {
      cells.push('skipped'.padStart(22));
      continue;
    }
    const text = adversarialText(kind, size);
    const started = performance.now();
    redactSecrets(text);
    const ms = performance.now() - started;
    tooSlow = ms > 10_000;
    cells.push(`${ms.toFixed(0)} ms ${(size / 1_048_576 / (ms / 1_000)).toFixed(2)} MB/s`.padStart(22));
  }
  console.log(`${kind.padEnd(14)} ${cells.join('')}`);
}

// One 2 MB line as Claude Code prints it, through the backend's steps (each timed alone).
const base64 = randomBytes(1_500_000).toString('base64');
const line = JSON.stringify({ type: 'assistant', message: { id: 'msg_1', content: [{ type: 'text', text: base64 }], usage: { output_tokens: 1 } } });
const time = <T>(step: string, run: () => T): T => {
  const started = performance.now();
  const result = run();
  console.log(`2 MB line, ${step.padEnd(40)} ${(performance.now() - started).toFixed(1).padStart(8)} ms`);
  return result;
};
const splitter = new LineSplitter();
const lines = time('split from 64 KB chunks', () => {
  const found: string[] = [];
  for (let start = 0; start <= line.length; start += 65_536) found.push(...splitter.push(line.slice(start, start + 65_536)));
  return [...found, ...splitter.push('\n')];
});
const event = time('parse (JSON + schema)', () => parseStreamLine(lines[0] ?? ''));
const logEvents = time('to log events', () => (event === undefined ? [] : toLogEvents(event)));
time('bound + redact (what is stored)', () => logEvents.map((logEvent) => boundLogEvent(logEvent, redactSecrets)));
time('redact the whole line (not done; for scale)', () => redactSecrets(line));
