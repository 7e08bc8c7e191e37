import { useId, useState, type FormEvent } from 'react';
import { RpcError } from '../../../src-shared/rpc/errors';
import { checkListsFromConfig, configWithCheckLists, type CheckListValues } from './check-lists';
import { ChecksEditor } from './ChecksEditor';
import { useUpdateConfig } from './queries';
import { configWithValues, SETTINGS_GROUPS, valuesFromConfig, type SettingsField, type SettingsValues } from './settings-fields';

interface SettingsFormProps {
  readonly project: string;
  readonly file: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** The config form: models, workers, timeouts, retries, review, permission mode, project checks and notifications; errors shown at each field. */
export function SettingsForm({ project, file, config }: SettingsFormProps) {
  const [values, setValues] = useState<SettingsValues>(() => valuesFromConfig(config));
  const [checkLists, setCheckLists] = useState<CheckListValues>(() => checkListsFromConfig(config));
  const update = useUpdateConfig(project);
  const id = useId();
  const { byField, general } = fieldErrors(update.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!update.isPending) update.mutate(configWithCheckLists(configWithValues(config, values), checkLists));
  };
  const reset = () => {
    if (update.isPending) return;
    setValues(valuesFromConfig(config));
    setCheckLists(checkListsFromConfig(config));
  };
  const set = (key: string, value: string | boolean) => {
    setValues((current) => ({ ...current, [key]: value }));
    if (update.isSuccess || update.isError) update.reset();
  };
  const setLists = (lists: CheckListValues) => {
    setCheckLists(lists);
    if (update.isSuccess || update.isError) update.reset();
  };

  return (
    <form className="settings-form panel" aria-labelledby={`${id}-heading`} onSubmit={submit} noValidate>
      <h3 id={`${id}-heading`}>Project settings</h3>
      <p className="muted settings-file">
        Saved in <span className="path">{file}</span>
      </p>
      {SETTINGS_GROUPS.map((group) => (
        <fieldset key={group.title} className="settings-group">
          <legend>{group.title}</legend>
          {group.id === 'checks' ? (
            <ChecksEditor project={project} lists={checkLists} onChange={setLists} errors={byField} configuredAllowedTools={configuredAllowedTools(config)} />
          ) : null}
          {group.fields.map((field) => (
            <Field key={field.key} id={`${id}-${field.key}`} field={field} value={values[field.key] ?? ''} error={byField.get(field.key)} onChange={(value) => set(field.key, value)} />
          ))}
        </fieldset>
      ))}
      {general.length > 0 ? (
        <div role="alert" className="error">
          {general.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      ) : null}
      {update.isSuccess ? (
        <p role="status" className="settings-saved">
          Saved. A run in progress keeps its settings; the changes apply to the next run.
        </p>
      ) : null}
      {/* aria-disabled while saving: a disabled button would drop keyboard focus to the page. */}
      <div className="row">
        <button type="submit" aria-disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save settings'}
        </button>
        <button type="button" onClick={reset} aria-disabled={update.isPending}>
          Reset
        </button>
      </div>
    </form>
  );
}

function Field(props: { readonly id: string; readonly field: SettingsField; readonly value: string | boolean; readonly error: string | undefined; readonly onChange: (value: string | boolean) => void }) {
  const { id, field, value, error, onChange } = props;
  const describedBy = [field.hint === undefined ? null : `${id}-hint`, error === undefined ? null : `${id}-error`].filter((part) => part !== null).join(' ') || undefined;
  const common = { id, 'aria-invalid': error !== undefined, 'aria-describedby': describedBy };
  let control;
  switch (field.kind) {
    case 'checkbox':
      control = <input {...common} type="checkbox" checked={value === true} onChange={(event) => onChange(event.target.checked)} />;
      break;
    case 'select':
      control = (
        <select {...common} value={String(value)} onChange={(event) => onChange(event.target.value)}>
          {field.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
      break;
    case 'number':
      control = <input {...common} type="number" inputMode="decimal" step={field.step ?? 1} value={String(value)} onChange={(event) => onChange(event.target.value)} />;
      break;
    case 'text':
      control = <input {...common} type="text" value={String(value)} onChange={(event) => onChange(event.target.value)} />;
      break;
  }
  return (
    <div className={`settings-field settings-${field.kind}${error === undefined ? '' : ' settings-invalid'}`}>
      {field.kind === 'checkbox' ? control : null}
      <label htmlFor={id}>{field.label}</label>
      {field.kind === 'checkbox' ? null : control}
      {field.hint === undefined ? null : (
        <span id={`${id}-hint`} className="muted settings-hint">
          {field.hint}
        </span>
      )}
      {error === undefined ? null : (
        <span id={`${id}-error`} className="error settings-error">
          {error}
        </span>
      )}
    </div>
  );
}

const FIELD_KEYS: ReadonlySet<string> = new Set(SETTINGS_GROUPS.flatMap((group) => group.fields.map((field) => field.key)));
/** Keys of the check lists and their entries ("checks.verify", "checks.verify.0"), shown at the list. */
const CHECK_LIST_KEY = /^checks\.(setup|verify|copy)(\.\d+)?$/;

/** claude_cli.allowed_tools as saved, or undefined when the agent's tools are derived from the checks. */
function configuredAllowedTools(config: Readonly<Record<string, unknown>>): ReadonlyArray<string> | undefined {
  const cli = config['claude_cli'];
  const tools = typeof cli === 'object' && cli !== null ? (cli as Record<string, unknown>)['allowed_tools'] : undefined;
  return Array.isArray(tools) ? tools.filter((tool): tool is string => typeof tool === 'string') : undefined;
}

/** Splits a refused save into messages at their fields and the rest. */
function fieldErrors(error: Error | null): { readonly byField: ReadonlyMap<string, string>; readonly general: ReadonlyArray<string> } {
  const byField = new Map<string, string>();
  const general: string[] = [];
  if (error === null) return { byField, general };
  const issues = error instanceof RpcError ? (error.issues ?? []) : [];
  for (const issue of issues) {
    if ((FIELD_KEYS.has(issue.path) || CHECK_LIST_KEY.test(issue.path)) && !byField.has(issue.path)) byField.set(issue.path, issue.message);
    else general.push(`${issue.path}: ${issue.message}`);
  }
  if (byField.size === 0 && general.length === 0) general.push(error.message);
  return { byField, general };
}
