import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src-shared/config/config-schema';
import { ConfigValidationError, resolveConfig } from '../../../src-shared/config/resolve-config';

describe('orchestrator_config.json', () => {
  it('has defaults for every section', () => {
    expect(resolveConfig(undefined)).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG.execution).toMatchObject({ max_workers: 4, max_retries: 3, retry_base_delay: 2, retry_max_delay: 120 });
    expect(DEFAULT_CONFIG.claude_cli.permission_mode).toBe('acceptEdits');
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
