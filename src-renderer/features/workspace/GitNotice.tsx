import { useState } from 'react';
import type { ProjectSummary } from '../../../src-shared/rpc/contract';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useInitGit } from '../projects/queries';

/** Says what a folder without git costs, and offers to initialise git after the user has read what it will do. */
export function GitNotice({ project, onInitialised }: { readonly project: ProjectSummary; readonly onInitialised: (project: ProjectSummary) => void }) {
  const [confirming, setConfirming] = useState(false);
  const init = useInitGit();
  return (
    <div className="notice git-notice" role="group" aria-label="No git repository">
      <p className="muted">
        This folder is not a git repository: workers share it, so tasks run one at a time when their context files may overlap (or name none), and
        there are no checkpoints or rollback. With git, every task runs in its own worktree and approved work is merged in dependency order.
      </p>
      {confirming ? (
        <div className="confirm" role="group" aria-label="Initialise git">
          <p>
            This runs <code>git init</code> in {project.path} and commits every file in it as it is now (except <code>.env</code> and{' '}
            <code>.orchestrator/</code>, which are added to .gitignore). Nothing is pushed anywhere.
          </p>
          <div className="row">
            <button
              type="button"
              className="primary"
              disabled={init.isPending}
              onClick={() => init.mutate(project.path, { onSuccess: onInitialised })}
            >
              {init.isPending ? 'Initialising…' : 'Initialise git and commit'}
            </button>
            <button type="button" disabled={init.isPending} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
          {init.error === null ? null : <ErrorMessage error={init.error} />}
        </div>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          Initialise git…
        </button>
      )}
    </div>
  );
}
