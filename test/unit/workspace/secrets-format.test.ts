import { describe, expect, it } from 'vitest';
import { maskApiKey, resolveApiKey, resolveSecret, validateApiKeyFormat } from '../../../src-main/workspace/api-key';
import { parseDotenv } from '../../../src-main/workspace/dotenv';
import { findSecretsInText } from '../../../src-main/workspace/secret-scan';
import { contextFilesOverlap } from '../../../src-main/workspace/shared-folder';
import { taskCommitMessage } from '../../../src-main/workspace/worktrees';
import { fake, fakeChars } from '../../integration/workspace/fake-secrets';

describe('validateApiKeyFormat', () => {
  it('accepts API, admin and OAuth keys', () => {
    expect(validateApiKeyFormat(fake.anthropic())).toEqual({ valid: true, kind: 'api-key' });
    expect(validateApiKeyFormat(['sk', 'ant', 'admin01', fakeChars(40, 1)].join('-'))).toEqual({ valid: true, kind: 'admin-key' });
    expect(validateApiKeyFormat(['sk', 'ant', 'oat01', fakeChars(40, 1)].join('-'))).toEqual({ valid: true, kind: 'oauth-token' });
  });
  it.each([
    ['', 'empty'],
    [` ${fake.anthropic()}`, 'spaces'],
    [`${fake.anthropic()}\n`, 'spaces'],
    [fake.openai(), 'start with "sk-ant-"'],
    ['sk-ant-api03-short', 'too short'],
    ['sk-ant-api03-has space', 'spaces'],
    ['sk-ant-whatever-abc', 'Expected sk-ant-api03-'],
  ])('rejects %j with a reason', (key, reason) => {
    const result = validateApiKeyFormat(key);
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.reason).toContain(reason);
  });
  it('masks keys for display', () => {
    expect(maskApiKey(fake.anthropic())).toMatch(/^sk-ant-api03-\*\*\*.{2}AA$/);
    expect(maskApiKey('abc')).toBe('***');
  });
});

describe('resolveSecret', () => {
  it('reads each secret from its environment variable and reports the source', async () => {
    const env = { SLACK_WEBHOOK_URL: fake.slackWebhook(), ANTHROPIC_API_KEY: 'sk-ant-short' };
    expect(await resolveSecret('slack-webhook-url', { env })).toEqual({ source: 'environment', value: fake.slackWebhook() });
    expect(await resolveApiKey({ env })).toMatchObject({ source: 'environment', masked: 'sk-ant-***', format: { valid: false } });
    expect(await resolveApiKey({ env: {} })).toEqual({ source: 'none', key: null, masked: null, format: null });
  });
});

describe('parseDotenv', () => {
  it('reads plain, exported, quoted and commented values; later keys win', () => {
    const env = parseDotenv(['# comment', 'A=1', 'export B = two ', 'C="quoted # not comment"', "D='single'", 'E=value # comment', 'A=3', 'not a line', ''].join('\r\n'));
    expect(Object.fromEntries(env)).toEqual({ A: '3', B: 'two', C: 'quoted # not comment', D: 'single', E: 'value' });
  });
});

describe('findSecretsInText', () => {
  it('reports line and column with the secret masked', () => {
    const text = `const a = 1;\n\n  const key = "${fake.anthropic(5)}";\n`;
    expect(findSecretsInText('src/a.ts', text)).toEqual([
      { file: 'src/a.ts', line: 3, column: 16, ruleId: 'anthropic-api-key', description: 'Anthropic API key', masked: expect.stringMatching(/^sk-ant-api03-\*\*\*.{2}AA$/) as unknown },
    ]);
  });
  it('ignores placeholders, low-entropy values and variable references', () => {
    const text = [
      'api_key = "YOUR_API_KEY_GOES_HERE_XXXX"',
      'password = "aaaaaaaaaaaaaaaaaaaaaaaa"',
      'token = process.env.TOKEN',
      'secret: "${SECRET_FROM_ENVIRONMENT}"',
      'ANTHROPIC_API_KEY=sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxx',
    ].join('\n');
    expect(findSecretsInText('x', text)).toEqual([]);
  });
  it('reports one finding for a key that several rules match', () => {
    expect(findSecretsInText('x', `api_key = "${fake.anthropic(6)}"`).map((found) => found.ruleId)).toEqual(['anthropic-api-key']);
  });
});

describe('contextFilesOverlap', () => {
  it('treats equal files, folders containing each other and unknown file lists as overlapping', () => {
    expect(contextFilesOverlap(['src/a.ts'], ['./src/a.ts'])).toBe(true);
    expect(contextFilesOverlap(['src/'], ['src/lib/b.ts'])).toBe(true);
    expect(contextFilesOverlap([], ['x'])).toBe(true);
    expect(contextFilesOverlap(['src/a.ts'], ['src/ab.ts', 'docs/a.ts'])).toBe(false);
  });
});

describe('taskCommitMessage', () => {
  it('puts the configured prefix in front', () => {
    expect(taskCommitMessage('[orchestrator]', { id: '7', title: 'Add login' })).toBe('[orchestrator] Add login (task 7)\n');
    expect(taskCommitMessage('feat: ', { id: '7', title: 'Add login' })).toBe('feat: Add login (task 7)\n');
    expect(taskCommitMessage('', { id: '7', title: 'Add login' })).toBe('Add login (task 7)\n');
  });
});
