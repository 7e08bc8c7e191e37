import { useEffect, useState } from 'react';
import { useRpc } from '../rpc/RpcContext';
import type { ProjectSummary } from '../../src-shared/rpc/contract';
import { ProjectsView } from '../features/projects/ProjectsView';
import { ProjectWorkspace } from '../features/workspace/ProjectWorkspace';
import { HostStatus } from './HostStatus';

/** The app shell: header with host status, then the project picker or the open project's workspace. */
export function App() {
  const [project, setProject] = useState<ProjectSummary | null>(null);
  const rpc = useRpc();
  // The desktop shell's File → Open Project… and clicked notifications ask for a project.
  useEffect(
    () =>
      rpc.subscribe('ui.openProject', ({ path }) => {
        rpc.invoke('projects.open', { path }).then(setProject, () => undefined);
      }),
    [rpc],
  );
  return (
    <div className="app">
      <header className="topbar">
        <h1>Claude Orchestrator</h1>
        <HostStatus />
      </header>
      <main className={project === null ? undefined : 'wide'}>
        {project !== null ? (
          <ProjectWorkspace key={project.path} project={project} onClose={() => setProject(null)} />
        ) : (
          <ProjectsView onOpened={setProject} />
        )}
      </main>
    </div>
  );
}
