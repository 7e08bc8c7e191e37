import { useEffect, useRef, useState } from 'react';
import type { CheckListSpec } from './check-lists';

interface CheckListEditorProps {
  readonly id: string;
  readonly list: CheckListSpec;
  readonly items: ReadonlyArray<string>;
  /** Errors from a refused save, by config key ("checks.verify.0", or "checks.verify" for the list). */
  readonly errors: ReadonlyMap<string, string>;
  readonly onChange: (items: ReadonlyArray<string>) => void;
}

/** One editable list of checks (setup commands, files to copy, verify commands): a text field per entry, Remove, and Add. */
export function CheckListEditor({ id, list, items, errors, onChange }: CheckListEditorProps) {
  const inputs = useRef<Array<HTMLInputElement | null>>([]);
  const addButton = useRef<HTMLButtonElement>(null);
  // Where focus goes after a row is added or removed, so the keyboard user is never dropped on the page.
  const [focusAfter, setFocusAfter] = useState<number | 'add' | null>(null);
  useEffect(() => {
    if (focusAfter === null) return;
    if (focusAfter === 'add') addButton.current?.focus();
    else inputs.current[focusAfter]?.focus();
    setFocusAfter(null);
  }, [focusAfter, items.length]);

  const label = list.item.charAt(0).toUpperCase() + list.item.slice(1);
  const listError = errors.get(`checks.${list.key}`);
  const add = () => {
    onChange([...items, '']);
    setFocusAfter(items.length);
  };
  const remove = (index: number) => {
    onChange(items.filter((_, at) => at !== index));
    setFocusAfter(items.length > 1 ? Math.min(index, items.length - 2) : 'add');
  };

  return (
    <fieldset className="project-checks-list" aria-describedby={`${id}-hint`}>
      <legend>{list.title}</legend>
      <p id={`${id}-hint`} className="muted settings-hint">
        {list.hint}
      </p>
      {items.length === 0 ? <p className="muted project-checks-empty">None yet.</p> : null}
      <ul aria-label={list.title} className="project-checks-items">
        {items.map((item, index) => {
          const error = errors.get(`checks.${list.key}.${index}`);
          return (
            <li key={index} className={error === undefined ? undefined : 'settings-invalid'}>
              <div className="row">
                <input
                  ref={(element) => {
                    inputs.current[index] = element;
                  }}
                  type="text"
                  aria-label={`${label} ${index + 1}`}
                  aria-invalid={error !== undefined}
                  aria-describedby={error === undefined ? undefined : `${id}-error-${index}`}
                  placeholder={list.placeholder}
                  spellCheck={false}
                  value={item}
                  onChange={(event) => onChange(items.map((value, at) => (at === index ? event.target.value : value)))}
                />
                <button type="button" aria-label={`Remove ${list.item} ${index + 1}`} onClick={() => remove(index)}>
                  Remove
                </button>
              </div>
              {error === undefined ? null : (
                <span id={`${id}-error-${index}`} className="error settings-error">
                  {error}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {listError === undefined ? null : <span className="error settings-error">{listError}</span>}
      <button type="button" ref={addButton} onClick={add}>
        Add {list.item}
      </button>
    </fieldset>
  );
}
