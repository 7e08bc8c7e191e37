import { useState } from 'react';
import type { ProjectSummary } from '../../src-shared/rpc/contract';
import { ProjectsView } from '../features/projects/ProjectsView';
import { HostStatus } from './HostStatus';

/** The app shell: header with host status, then the current view. */
export function App() {
  const [project, setProject] = useState<ProjectSummary | null>(null);
  return (
    <div className="app">
      <header className="topbar">
        <h1>Claude Orchestrator</h1>
        <HostStatus />
      </header>
      <main>
        {project !== null ? (
          <section aria-label="Current project" className="panel current">
            <h2>{project.name}</h2>
            <p className="muted path">{project.path}</p>
            {project.isGitRepository ? null : (
              <p className="muted">This folder is not a git repository; workers will share it and run overlapping tasks one after another.</p>
            )}
            <button type="button" onClick={() => setProject(null)}>
              Switch project
            </button>
          </section>
        ) : (
          <ProjectsView onOpened={setProject} />
        )}
      </main>
    </div>
  );
}
