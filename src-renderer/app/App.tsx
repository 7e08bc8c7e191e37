import { useState } from 'react';
import type { ProjectSummary } from '../../src-shared/rpc/contract';
import { ProjectsView } from '../features/projects/ProjectsView';
import { ProjectWorkspace } from '../features/workspace/ProjectWorkspace';
import { HostStatus } from './HostStatus';

/** The app shell: header with host status, then the project picker or the open project's workspace. */
export function App() {
  const [project, setProject] = useState<ProjectSummary | null>(null);
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
