/** The check lists the Settings form edits: checks.setup, checks.verify and checks.copy. */
export type CheckListKey = 'setup' | 'verify' | 'copy';

/** The lists as the form holds them (blank rows allowed while editing). */
export type CheckListValues = Readonly<Record<CheckListKey, ReadonlyArray<string>>>;

/** How the form shows one list: its title, what one entry is called, a hint and an example. */
export interface CheckListSpec {
  readonly key: CheckListKey;
  readonly title: string;
  readonly item: string;
  readonly hint: string;
  readonly placeholder: string;
}

/** The lists, in the order the form shows them. */
export const CHECK_LISTS: ReadonlyArray<CheckListSpec> = [
  { key: 'setup', title: 'Setup commands', item: 'setup command', hint: 'Run in each new workspace before the agent starts.', placeholder: 'npm ci' },
  { key: 'copy', title: 'Files to copy', item: 'file to copy', hint: 'Untracked files copied into each workspace, never committed.', placeholder: '.env' },
  { key: 'verify', title: 'Verify commands', item: 'verify command', hint: 'Must pass before work is merged: tests, lint, type-check.', placeholder: 'npm test' },
];

/** Reads the lists out of a config (missing or malformed lists are empty). */
export function checkListsFromConfig(config: Readonly<Record<string, unknown>>): CheckListValues {
  const checks = config['checks'];
  const section = typeof checks === 'object' && checks !== null ? (checks as Record<string, unknown>) : {};
  const list = (key: CheckListKey): string[] => (Array.isArray(section[key]) ? (section[key] as unknown[]).filter((item): item is string => typeof item === 'string') : []);
  return { setup: list('setup'), verify: list('verify'), copy: list('copy') };
}

/** The config with the lists written into its checks section; blank rows are dropped. */
export function configWithCheckLists(config: Readonly<Record<string, unknown>>, lists: CheckListValues): Record<string, unknown> {
  const current = config['checks'];
  const section = typeof current === 'object' && current !== null && !Array.isArray(current) ? (current as Record<string, unknown>) : {};
  const clean = (items: ReadonlyArray<string>): string[] => items.map((item) => item.trim()).filter((item) => item !== '');
  return { ...config, checks: { ...section, setup: clean(lists.setup), verify: clean(lists.verify), copy: clean(lists.copy) } };
}

/** Adds accepted proposals to the lists, skipping values already listed. */
export function addToCheckLists(lists: CheckListValues, additions: CheckListValues): CheckListValues {
  const merge = (key: CheckListKey): string[] => {
    const kept = lists[key].filter((item) => item.trim() !== '');
    return [...kept, ...additions[key].filter((item, index, all) => !kept.includes(item) && all.indexOf(item) === index)];
  };
  return { setup: merge('setup'), verify: merge('verify'), copy: merge('copy') };
}
