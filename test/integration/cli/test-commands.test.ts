import { describe, expect, it } from 'vitest';
import { cliBuilt, isOneLineError, tempProject } from './cli-harness';

const coverageScript = `
const fs = require('node:fs');
fs.mkdirSync('coverage', { recursive: true });
fs.writeFileSync('coverage/coverage-summary.json', JSON.stringify({ total: { lines: { pct: 91.5 }, statements: { pct: 90 }, functions: { pct: 80 }, branches: { pct: 75.25 } } }));
console.log('# tests 4');
console.log('# pass 4');
console.log('# fail 0');
`;

describe.skipIf(!cliBuilt)('co coverage and co test-status (built CLI)', () => {
  it("runs the project's own coverage script, summarises it, and test-status shows the record", async () => {
    const project = tempProject({
      files: {
        'package.json': JSON.stringify({ name: 'demo', private: true, scripts: { test: 'node failing-test.js', coverage: 'node coverage.js' } }),
        'coverage.js': coverageScript,
        'failing-test.js': "console.log('# pass 2'); console.log('# fail 1'); process.exit(1);\n",
      },
    });
    try {
      await project.co(['init']);
      expect((await project.coJson<unknown>(['test-status']))).toBeNull();
      const coverage = await project.co(['coverage']);
      expect(coverage.status).toBe(0);
      expect(coverage.stdout).toContain('# pass 4');
      expect(coverage.stdout).toContain('coverage: lines 91.5%, statements 90.0%, functions 80.0%, branches 75.3%');
      expect(await project.coJson<unknown>(['test-status'])).toMatchObject({ purpose: 'coverage', passed: true, counts: { passed: 4, failed: 0 }, coverage: { lines: 91.5 } });

      const failing = await project.co(['test-status', '--run']);
      expect(failing.status).toBe(1);
      expect(failing.stderr).toBe('co: the tests failed (`npm run --silent test` exited 1); see the output above.\n');
      expect(failing.stdout).toContain('tests: 2 passed, 1 failed');
      expect(await project.coJson<unknown>(['test-status'])).toMatchObject({ purpose: 'test', passed: false, exitCode: 1 });
    } finally {
      project.cleanup();
    }
  });

  it('says how to proceed when it cannot tell the test command', async () => {
    const project = tempProject();
    try {
      const result = await project.co(['coverage']);
      expect(isOneLineError(result)).toBe(true);
      expect(result.stderr).toContain('pass --command');
      const given = await project.co(['test-status', '--run', '--command', 'echo "# pass 1"']);
      expect(given.status).toBe(0);
      expect(given.stdout).toContain('tests: 1 passed, 0 failed');
    } finally {
      project.cleanup();
    }
  });
});
