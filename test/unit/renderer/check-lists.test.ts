import { describe, expect, it } from 'vitest';
import { addToCheckLists, checkListsFromConfig, configWithCheckLists } from '../../../src-renderer/features/settings/check-lists';

describe('the Settings form’s check lists', () => {
  it('reads the lists from a config, tolerating a missing or malformed section', () => {
    expect(checkListsFromConfig({ checks: { setup: ['npm ci'], verify: ['npm test', 3], copy: 'nope' } })).toEqual({ setup: ['npm ci'], verify: ['npm test'], copy: [] });
    expect(checkListsFromConfig({})).toEqual({ setup: [], verify: [], copy: [] });
  });

  it('writes them back trimmed, without blank rows, keeping the other checks keys', () => {
    const config = { models: { worker: 'w' }, checks: { timeout: 60, verify_on_merge: 'off', verify: ['old'] } };
    expect(configWithCheckLists(config, { setup: [' npm ci '], verify: ['npm test', '  '], copy: [] })).toEqual({
      models: { worker: 'w' },
      checks: { timeout: 60, verify_on_merge: 'off', setup: ['npm ci'], verify: ['npm test'], copy: [] },
    });
  });

  it('adds accepted proposals after what is listed, once each', () => {
    const lists = { setup: [], verify: ['npm test', ''], copy: ['.env'] };
    expect(addToCheckLists(lists, { setup: ['npm ci'], verify: ['npm run lint', 'npm test', 'npm run lint'], copy: ['.env'] })).toEqual({
      setup: ['npm ci'],
      verify: ['npm test', 'npm run lint'],
      copy: ['.env'],
    });
  });
});
