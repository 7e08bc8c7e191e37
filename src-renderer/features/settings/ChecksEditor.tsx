import { useId, useRef, useState } from 'react';
import { allowedToolsFor } from '../../../src-shared/config/allowed-tools';
import type { CheckProposals } from '../../../src-shared/rpc/schemas/checks';
import { ErrorMessage } from '../../app/ErrorMessage';
import { addToCheckLists, CHECK_LISTS, type CheckListValues } from './check-lists';
import { CheckListEditor } from './CheckListEditor';
import { ChecksProposal } from './ChecksProposal';
import { useProposeChecks } from './queries';

interface ChecksEditorProps {
  readonly project: string;
  readonly lists: CheckListValues;
  readonly onChange: (lists: CheckListValues) => void;
  /** Errors of a refused save, by config key. */
  readonly errors: ReadonlyMap<string, string>;
  /** claude_cli.allowed_tools as saved (undefined: derived from the checks). */
  readonly configuredAllowedTools: ReadonlyArray<string> | undefined;
}

/** The project's checks as editable lists, "Propose from project" to fill them in, and the tools the agent may run as a result. */
export function ChecksEditor({ project, lists, onChange, errors, configuredAllowedTools }: ChecksEditorProps) {
  const id = useId();
  const propose = useProposeChecks(project);
  const [proposal, setProposal] = useState<CheckProposals | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const proposeButton = useRef<HTMLButtonElement>(null);

  const change = (next: CheckListValues) => {
    setAdded(null);
    onChange(next);
  };
  const askForProposal = () => {
    if (propose.isPending) return;
    setAdded(null);
    propose.mutate(undefined, { onSuccess: (proposals) => setProposal(proposals) });
  };
  const closeProposal = (message: string | null) => {
    setProposal(null);
    setAdded(message);
    proposeButton.current?.focus();
  };
  const accept = (accepted: CheckListValues) => {
    onChange(addToCheckLists(lists, accepted));
    const count = accepted.setup.length + accepted.verify.length + accepted.copy.length;
    closeProposal(`Added ${count} ${count === 1 ? 'entry' : 'entries'} to the lists. Save settings to keep them.`);
  };

  const tools = allowedToolsFor({ checks: lists, claude_cli: { allowed_tools: configuredAllowedTools } });
  const toolsSource = configuredAllowedTools === undefined ? 'derived from the setup and verify commands' : 'from claude_cli.allowed_tools in the config file';

  return (
    <div className="project-checks">
      <p className="muted project-checks-intro">
        Commands the orchestrator runs in each attempt&apos;s workspace. A failing verify command sends the work back to the agent with the output; it is never merged.
      </p>
      <div className="project-checks-lists">
        {CHECK_LISTS.map((list) => (
          <CheckListEditor key={list.key} id={`${id}-${list.key}`} list={list} items={lists[list.key]} errors={errors} onChange={(items) => change({ ...lists, [list.key]: items })} />
        ))}
      </div>
      <div className="row">
        {/* aria-disabled while looking: a disabled button would drop keyboard focus to the page. */}
        <button type="button" ref={proposeButton} onClick={askForProposal} aria-disabled={propose.isPending}>
          {propose.isPending ? 'Looking at the project…' : 'Propose from project'}
        </button>
        {added === null ? null : (
          <span role="status" className="settings-saved">
            {added}
          </span>
        )}
      </div>
      {propose.isError ? <ErrorMessage error={propose.error} /> : null}
      {proposal === null ? null : <ChecksProposal proposals={proposal} lists={lists} onAccept={accept} onDismiss={() => closeProposal(null)} />}
      <p className="muted project-checks-tools">
        Claude Code may run without asking ({toolsSource}): {tools.length === 0 ? 'nothing beyond editing files' : tools.join(', ')}
      </p>
    </div>
  );
}
