import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src-shared/config/config-schema';
import { ConfigValidationError, resolveConfig } from '../../../src-shared/config/resolve-config';

describe('orchestrator_config.json', () => {
  it('has defaults for every section', () => {
    expect(resolveConfig(undefined)).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG.execution).toMatchObject({ max_workers: 4, max_retries: 3, retry_base_delay: 2, retry_max_delay: 120 });
    expect(DEFAULT_CONFIG.claude_cli.permission_mode).toBe('acceptEdits');
    expect(DEFAULT_CONFIG.claude_cli.allowed_tools).toBeUndefined();
    // Seed 002: the manager reviews each attempt unless told not to.
    expect(DEFAULT_CONFIG.models.enable_opus_review).toBe(true);
    expect(DEFAULT_CONFIG.checks).toEqual({ setup: [], setup_inputs: [], copy: [], verify: [], timeout: 900, verify_on_merge: 'each' });
  });

  it('validates checks: commands not empty, copied paths inside the project, a known merge policy', () => {
    expect(resolveConfig({ checks: { verify: ['  npm test '], copy: ['.env', 'config/local.json'] } }).checks).toMatchObject({ verify: ['npm test'], copy: ['.env', 'config/local.json'] });
    expect(() => resolveConfig({ checks: { verify: [''] } })).toThrow(/key checks.verify.0: a check command must not be empty/);
    expect(() => resolveConfig({ checks: { copy: ['../secrets/.env'] } })).toThrow(/key checks.copy.0: must be a path inside the project/);
    expect(() => resolveConfig({ checks: { copy: ['/etc/passwd'] } })).toThrow(/key checks.copy.0: must be a path inside the project/);
    expect(() => resolveConfig({ checks: { verify_on_merge: 'sometimes' } })).toThrow(/key checks.verify_on_merge/);
    expect(() => resolveConfig({ checks: { timeout: 0 } })).toThrow(/key checks.timeout/);
  });

  it('keeps file values and fills the rest', () => {
    const config = resolveConfig({ execution: { max_workers: 8 }, git: { enabled: false } });
    expect(config.execution.max_workers).toBe(8);
    expect(config.execution.task_timeout).toBe(1800);
    expect(config.git.enabled).toBe(false);
  });

  it('lets the environment override the file', () => {
    const config = resolveConfig({ execution: { max_workers: 8 } }, { ORCHESTRATOR_MAX_WORKERS: '2', ORCHESTRATOR_LOG_LEVEL: 'debug' });
    expect(config.execution.max_workers).toBe(2);
    expect(config.monitoring.log_level).toBe('debug');
    const checks = resolveConfig({ checks: { timeout: 60 } }, { ORCHESTRATOR_CHECKS_TIMEOUT: '120', ORCHESTRATOR_VERIFY_ON_MERGE: 'batch' }).checks;
    expect(checks).toMatchObject({ timeout: 120, verify_on_merge: 'batch' });
  });

  it('names the file, the key and the expected type when invalid', () => {
    expect(() => resolveConfig({ execution: { max_workers: 'four' } }, {}, '/p/orchestrator_config.json')).toThrow(
      /\/p\/orchestrator_config.json: key execution.max_workers: .*number/,
    );
    expect(() => resolveConfig({ execution: { retry_base_delay: 10, retry_max_delay: 5 } })).toThrow('retry_base_delay must not exceed retry_max_delay');
    expect(() => resolveConfig([])).toThrow(ConfigValidationError);
    expect(() => resolveConfig({}, { ORCHESTRATOR_MAX_WORKERS: 'many' })).toThrow('environment ORCHESTRATOR_MAX_WORKERS: expected a number');
  });
});
