import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src-shared/config/config-schema';
import { allowedToolsFor, deriveAllowedTools } from '../../../src-shared/config/allowed-tools';
import { resolveConfig } from '../../../src-shared/config/resolve-config';

describe('allowed tools for the agent', () => {
  it('derives one Bash prefix rule per command segment of checks.setup and checks.verify', () => {
    const config = resolveConfig({ checks: { setup: ['npm ci'], verify: ['npm test', 'npm run lint && npm run typecheck', 'go test ./...', 'CI=1 pytest -q tests/', 'npm test 2>&1 | tee out.log'] } });
    expect(allowedToolsFor(config)).toEqual([
      'Bash(npm ci:*)',
      'Bash(npm test:*)',
      'Bash(npm run lint:*)',
      'Bash(npm run typecheck:*)',
      'Bash(go test:*)',
      'Bash(pytest -q:*)',
      'Bash(tee out.log:*)',
    ]);
  });

  it('leaves out cd and segments a prefix rule cannot describe', () => {
    expect(deriveAllowedTools(['cd web && npm test', 'echo $HOME', 'make test > log.txt', '(cd a; make)', 'make check'])).toEqual(['Bash(npm test:*)', 'Bash(make check:*)']);
  });

  it('claude_cli.allowed_tools, when set, wins (an empty list allows nothing extra)', () => {
    expect(allowedToolsFor(resolveConfig({ checks: { verify: ['npm test'] }, claude_cli: { allowed_tools: ['Bash(make:*)'] } }))).toEqual(['Bash(make:*)']);
    expect(allowedToolsFor(resolveConfig({ checks: { verify: ['npm test'] }, claude_cli: { allowed_tools: [] } }))).toEqual([]);
    expect(allowedToolsFor(DEFAULT_CONFIG)).toEqual([]);
  });
});
