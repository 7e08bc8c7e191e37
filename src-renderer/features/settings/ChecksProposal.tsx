import { useEffect, useId, useRef, useState } from 'react';
import type { CheckProposals } from '../../../src-shared/rpc/schemas/checks';
import { CHECK_LISTS, type CheckListKey, type CheckListValues } from './check-lists';

interface ChecksProposalProps {
  readonly proposals: CheckProposals;
  /** What the form lists now: proposals already there are shown, not offered again. */
  readonly lists: CheckListValues;
  readonly onAccept: (accepted: CheckListValues) => void;
  readonly onDismiss: () => void;
}

const keyOf = (list: CheckListKey, value: string): string => `${list}\u0000${value}`;

/** The checks proposed from the project, each with its source, to tick and add to the lists (nothing is saved until the form is). */
export function ChecksProposal({ proposals, lists, onAccept, onDismiss }: ChecksProposalProps) {
  const id = useId();
  const listed = (list: CheckListKey, value: string): boolean => lists[list].some((item) => item.trim() === value);
  const [selected, setSelected] = useState<ReadonlySet<string>>(
    () => new Set(CHECK_LISTS.flatMap(({ key }) => proposals[key].filter((item) => !listed(key, item.value)).map((item) => keyOf(key, item.value)))),
  );
  const heading = useRef<HTMLHeadingElement>(null);
  // The user asked for this panel: take them to it (its heading, so it is read out first).
  useEffect(() => heading.current?.focus(), []);

  const total = proposals.setup.length + proposals.verify.length + proposals.copy.length;
  const toggle = (key: string, on: boolean) => {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  };
  const accept = () => {
    if (selected.size === 0) return;
    const pick = (list: CheckListKey): string[] => proposals[list].filter((item) => selected.has(keyOf(list, item.value))).map((item) => item.value);
    onAccept({ setup: pick('setup'), verify: pick('verify'), copy: pick('copy') });
  };

  return (
    <section className="project-checks-proposal" aria-labelledby={`${id}-heading`}>
      <h4 id={`${id}-heading`} ref={heading} tabIndex={-1}>
        Proposed from the project
      </h4>
      {total === 0 ? (
        <p>Nothing to propose: no package.json scripts, pytest, cargo, go or make targets were found.</p>
      ) : (
        CHECK_LISTS.filter(({ key }) => proposals[key].length > 0).map(({ key, title }) => (
          <fieldset key={key} className="project-checks-proposed">
            <legend>{title}</legend>
            {proposals[key].map((item) => {
              const already = listed(key, item.value);
              return (
                <label key={item.value} className="project-checks-option">
                  <input
                    type="checkbox"
                    checked={already || selected.has(keyOf(key, item.value))}
                    disabled={already}
                    onChange={(event) => toggle(keyOf(key, item.value), event.target.checked)}
                  />
                  <code>{item.value}</code>
                  <span className="muted">
                    {item.source}
                    {already ? ' · already listed' : ''}
                  </span>
                </label>
              );
            })}
          </fieldset>
        ))
      )}
      {proposals.notes.length === 0 ? null : (
        <ul className="muted project-checks-notes" aria-label="Notes on the proposal">
          {proposals.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      <div className="row">
        {total === 0 ? null : (
          <button type="button" onClick={accept} aria-disabled={selected.size === 0}>
            Add selected to the lists
          </button>
        )}
        <button type="button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </section>
  );
}
