import { useId, useState, type FormEvent } from 'react';
import type { ProjectSummary } from '../../../src-shared/rpc/contract';
import { ErrorMessage } from '../../app/ErrorMessage';
import { SetupSection } from '../settings/SetupSection';
import { useForgetProject, useOpenProject, useRecentProjects } from './queries';

/** Open a project folder by path and pick from recent ones. */
export function ProjectsView({ onOpened }: { readonly onOpened: (project: ProjectSummary) => void }) {
  const [path, setPath] = useState('');
  const inputId = useId();
  const open = useOpenProject();
  const recent = useRecentProjects();
  const forget = useForgetProject();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (path.trim() === '') return;
    open.mutate(path.trim(), { onSuccess: (project) => onOpened(project) });
  };

  return (
    <>
    <section aria-labelledby="projects-heading" className="panel">
      <h2 id="projects-heading">Open a project</h2>
      <form onSubmit={submit} className="row">
        <label htmlFor={inputId}>Project folder</label>
        <input
          id={inputId}
          value={path}
          onChange={(event) => setPath(event.target.value)}
          placeholder="/home/you/my-app"
          spellCheck={false}
          autoComplete="off"
        />
        <button type="submit" disabled={open.isPending || path.trim() === ''}>
          {open.isPending ? 'Opening…' : 'Open'}
        </button>
      </form>
      {open.isError ? <ErrorMessage error={open.error} /> : null}

      <h3>Recent projects</h3>
      {recent.isPending ? <p role="status">Loading recent projects…</p> : null}
      {recent.isError ? <ErrorMessage error={recent.error} /> : null}
      {recent.isSuccess && recent.data.length === 0 ? <p className="muted">No projects yet. Open a folder above to start.</p> : null}
      {recent.isSuccess && recent.data.length > 0 ? (
        <ul aria-label="Recent projects" className="recent">
          {recent.data.map((project) => (
            <li key={project.path}>
              <button type="button" className="link" onClick={() => open.mutate(project.path, { onSuccess: onOpened })}>
                {project.name}
              </button>
              <span className="muted path">{project.path}</span>
              {project.isGitRepository ? <span className="badge">git</span> : <span className="badge warn">no git</span>}
              <button type="button" aria-label={`Forget ${project.name}`} onClick={() => forget.mutate(project.path)}>
                Forget
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
    <SetupSection project={null} />
    </>
  );
}
