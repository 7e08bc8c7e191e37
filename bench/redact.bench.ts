/**
 * Redaction throughput (issue 18). Prints figures; nothing is asserted. Run: npm run bench:redact
 * Optional arguments: sizes in KB (default 1024 10240). Each kind of adversarial input from
 * test/support/adversarial-text.ts is redacted once per size after a warm-up; a size is skipped
 * for a kind once a smaller one took more than 10 s (quadratic rules would take hours).
 */
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
