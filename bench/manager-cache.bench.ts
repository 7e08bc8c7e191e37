/**
 * Manager prompt-cache benchmark: repeated planning calls over one PRD against the fake
 * Messages API (which models prompt caching by cache_control prefixes), printing the share of
 * input tokens read from cache per call. Target (issue 4): ≥ 80% after the first call.
 * Run: npx tsx bench/manager-cache.bench.ts [calls]
 */
import { Manager, type UsageReport } from '../src-main/agents/manager';
import { TEST_API_KEY, startFakeAnthropic, toolUseReply } from '../test/support/fake-anthropic';

const CALLS = Number(process.argv[2] ?? 5);

const FEATURES = ['Project skeleton', 'Product catalogue', 'User accounts', 'Shopping cart', 'Checkout', 'Order history', 'Admin stock management', 'Email receipts'];

const PRD = [
  '# Product requirements: Tiny Shop',
  ...FEATURES.map((feature, index) => `## ${index + 1}. ${feature}\n${`${feature} must be specified, validated, tested and documented; errors are JSON with a code. `.repeat(12)}`),
].join('\n\n');

const PLAN = {
  tasks: FEATURES.map((title, index) => ({
    id: index + 1,
    title,
    description: `${title}.`,
    details: `Implement ${title.toLowerCase()}.`,
    acceptance_criteria: [`${title} works end to end`],
    test_strategy: 'Integration tests.',
    priority: index < 3 ? 'high' : 'medium',
    dependencies: index === 0 ? [] : [Math.max(1, index - 1)],
    context_files: [],
    hints: [],
  })),
};

const fake = await startFakeAnthropic();
fake.script({ respond: () => toolUseReply('parse_prd', PLAN) });
const reports: UsageReport[] = [];
const manager = new Manager({ apiKey: TEST_API_KEY, baseURL: fake.url, model: 'claude-opus-4-5', onUsage: (report) => reports.push(report) });
const originalWarn = console.warn;
console.warn = () => undefined; // the SDK's model deprecation notice, once per call
try {
  for (let call = 0; call < CALLS; call += 1) await manager.parsePrd(PRD);
} finally {
  console.warn = originalWarn;
  await fake.close();
}

const total = (report: UsageReport): number => report.usage.inputTokens + report.usage.cacheCreationInputTokens + report.usage.cacheReadInputTokens;
console.log(`PRD: ${PRD.length} characters; ${CALLS} identical parse_prd calls against the fake Messages API\n`);
console.log('call  input  cache_write  cache_read  total  read_share  cost_usd');
reports.forEach((report, index) => {
  const share = report.usage.cacheReadInputTokens / total(report);
  console.log(
    `${String(index + 1).padStart(4)}  ${String(report.usage.inputTokens).padStart(5)}  ${String(report.usage.cacheCreationInputTokens).padStart(11)}  ${String(report.usage.cacheReadInputTokens).padStart(10)}  ${String(total(report)).padStart(5)}  ${(share * 100).toFixed(1).padStart(9)}%  ${report.costUsd.toFixed(5)}`,
  );
});
const later = reports.slice(1);
const read = later.reduce((sum, report) => sum + report.usage.cacheReadInputTokens, 0);
const all = later.reduce((sum, report) => sum + total(report), 0);
const share = all === 0 ? 0 : read / all;
console.log(`\ncache-read share of input after the first call: ${(share * 100).toFixed(1)}% (target ≥ 80%) ${share >= 0.8 ? 'OK' : 'BELOW TARGET'}`);
if (share < 0.8) process.exitCode = 1;
