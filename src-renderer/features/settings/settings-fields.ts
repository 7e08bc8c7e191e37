/** A field of the settings form, addressed by its config key ("execution.max_workers"). */
export type SettingsField =
  | { readonly key: string; readonly label: string; readonly kind: 'text'; readonly hint?: string }
  | { readonly key: string; readonly label: string; readonly kind: 'number'; readonly hint?: string; readonly step?: number }
  | { readonly key: string; readonly label: string; readonly kind: 'checkbox'; readonly hint?: string }
  | { readonly key: string; readonly label: string; readonly kind: 'select'; readonly hint?: string; readonly options: ReadonlyArray<string> };

/** A titled group of fields. */
export interface SettingsGroup {
  /** Set on the group that also holds the check lists (they are not simple fields). */
  readonly id?: 'checks';
  readonly title: string;
  readonly fields: ReadonlyArray<SettingsField>;
}

/** The settings the form edits, grouped as the user thinks of them. */
export const SETTINGS_GROUPS: ReadonlyArray<SettingsGroup> = [
  {
    title: 'Models',
    fields: [
      { key: 'models.manager', label: 'Manager model', kind: 'text', hint: 'Plans and reviews.' },
      { key: 'models.worker', label: 'Worker model', kind: 'text' },
      { key: 'models.enable_opus_review', label: 'Manager reviews each attempt', kind: 'checkbox' },
      {
        key: 'models.manager_backend',
        label: 'Manager connects through',
        kind: 'select',
        options: ['auto', 'api', 'claude-cli'],
        hint: 'api: an Anthropic API key; claude-cli: your Claude Code login (a Claude subscription); auto: the API when a key is set, else Claude Code.',
      },
    ],
  },
  {
    title: 'Workers and retries',
    fields: [
      { key: 'execution.max_workers', label: 'Max workers', kind: 'number', hint: '1–64 agents at once.' },
      { key: 'execution.task_timeout', label: 'Task timeout (seconds)', kind: 'number' },
      { key: 'execution.max_retries', label: 'Max retries', kind: 'number', hint: '0–20 per task.' },
      { key: 'execution.retry_base_delay', label: 'Retry base delay (seconds)', kind: 'number', step: 0.5 },
      { key: 'execution.retry_max_delay', label: 'Retry max delay (seconds)', kind: 'number' },
      { key: 'claude_cli.permission_mode', label: 'Permission mode', kind: 'select', options: ['acceptEdits', 'default', 'plan', 'bypassPermissions'] },
    ],
  },
  {
    id: 'checks',
    title: 'Project checks',
    fields: [
      { key: 'checks.timeout', label: 'Time limit per check command (seconds)', kind: 'number' },
      {
        key: 'checks.verify_on_merge',
        label: 'Verify the integration branch',
        kind: 'select',
        options: ['each', 'batch', 'off'],
        hint: 'each: after every merge; batch: once per batch of merges, bisected on failure; off: never.',
      },
    ],
  },
  {
    title: 'Notifications',
    fields: [
      { key: 'notifications.desktop', label: 'Desktop notifications', kind: 'checkbox' },
      { key: 'notifications.on_task_complete', label: 'Notify when a task completes', kind: 'checkbox' },
      { key: 'notifications.on_task_failed', label: 'Notify when a task fails', kind: 'checkbox' },
      { key: 'notifications.on_all_complete', label: 'Notify when a run finishes', kind: 'checkbox' },
    ],
  },
];

/** What the form holds: text for text, number and select fields, booleans for checkboxes. */
export type SettingsValues = Readonly<Record<string, string | boolean>>;

/** Reads the form's values out of a config. */
export function valuesFromConfig(config: Readonly<Record<string, unknown>>): SettingsValues {
  const values: Record<string, string | boolean> = {};
  for (const field of SETTINGS_GROUPS.flatMap((group) => group.fields)) {
    const value = readKey(config, field.key);
    values[field.key] = field.kind === 'checkbox' ? value === true : value === undefined || value === null ? '' : String(value);
  }
  return values;
}

/**
 * The whole config to save: the loaded one with the form's values set. Numbers that do not
 * parse are sent as typed so the host's error names the key.
 */
export function configWithValues(config: Readonly<Record<string, unknown>>, values: SettingsValues): Record<string, unknown> {
  const next = structuredClone(config) as Record<string, unknown>;
  for (const field of SETTINGS_GROUPS.flatMap((group) => group.fields)) {
    const value = values[field.key];
    if (value === undefined) continue;
    writeKey(next, field.key, field.kind === 'number' && typeof value === 'string' ? toNumber(value) : value);
  }
  return next;
}

function toNumber(text: string): number | string {
  const trimmed = text.trim();
  const number = Number(trimmed);
  return trimmed !== '' && Number.isFinite(number) ? number : trimmed;
}

function readKey(config: Readonly<Record<string, unknown>>, key: string): unknown {
  let current: unknown = config;
  for (const part of key.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function writeKey(config: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  const last = parts.pop();
  if (last === undefined) return;
  let current = config;
  for (const part of parts) {
    const child = current[part];
    const object = typeof child === 'object' && child !== null && !Array.isArray(child) ? (child as Record<string, unknown>) : {};
    current[part] = object;
    current = object;
  }
  current[last] = value;
}
