import { useCallback, useEffect, useRef, useState } from 'react';
import { useRpc } from '../rpc/RpcContext';
import type { ProjectSummary } from '../../src-shared/rpc/contract';
import { ProjectsView } from '../features/projects/ProjectsView';
import { ProjectWorkspace } from '../features/workspace/ProjectWorkspace';
import { ErrorMessage } from './ErrorMessage';
import { HostStatus } from './HostStatus';

/** The app shell: header with host status, then the project picker or the open project's workspace. */
export function App() {
  const [project, setProject] = useState<ProjectSummary | null>(null);
  const rpc = useRpc();
  const [openError, setOpenError] = useState<Error | null>(null);
  const shown = useRef<string | null>(null);
  shown.current = project?.path ?? null;
  // Leaving a project lets the host close it (unless a run is going), so another app may open it.
  const leave = useCallback(
    (path: string | null) => {
      if (path !== null) rpc.invoke('projects.close', { project: path }).catch(() => undefined);
    },
    [rpc],
  );
  // The desktop shell's File → Open Project… and clicked notifications ask for a project.
  useEffect(
    () =>
      rpc.subscribe('ui.openProject', ({ path }) => {
        rpc.invoke('projects.open', { path }).then(
          (opened) => {
            if (shown.current !== opened.path) leave(shown.current);
            setOpenError(null);
            setProject(opened);
          },
          (error: unknown) => setOpenError(error instanceof Error ? error : new Error(String(error))),
        );
      }),
    [rpc, leave],
  );
  return (
    <div className="app">
      <header className="topbar">
        <h1>Claude Orchestrator</h1>
        <HostStatus />
      </header>
      {openError === null ? null : (
        <div className="row notice" role="group" aria-label="Could not open the project">
          <ErrorMessage error={openError} />
          <button type="button" onClick={() => setOpenError(null)}>
            Dismiss
          </button>
        </div>
      )}
      <main className={project === null ? undefined : 'wide'}>
        {project !== null ? (
          <ProjectWorkspace
            key={project.path}
            project={project}
            onProjectChanged={setProject}
            onClose={() => {
              leave(project.path);
              setProject(null);
            }}
          />
        ) : (
          <ProjectsView onOpened={setProject} />
        )}
      </main>
    </div>
  );
}
