import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ProjectSummary } from '../../../src-shared/rpc/contract';
import { ErrorMessage } from '../../app/ErrorMessage';
import { SetupSection } from '../settings/SetupSection';
import { useWindowFileDrop } from '../workspace/use-file-drop';
import { useForgetProject, useHostCapabilities, useOpenProject, usePickFolder, useRecentProjects } from './queries';

/** Open a project folder by path and pick from recent ones. */
export function ProjectsView({ onOpened }: { readonly onOpened: (project: ProjectSummary) => void }) {
  const [path, setPath] = useState('');
  const inputId = useId();
  const pathInput = useRef<HTMLInputElement>(null);
  // Coming back from a project ("Switch project") removed the focused button: start again at the path field.
  useEffect(() => {
    if (document.activeElement === document.body) pathInput.current?.focus();
  }, []);
  const open = useOpenProject();
  const recent = useRecentProjects();
  const forget = useForgetProject();
  const capabilities = useHostCapabilities();
  const pick = usePickFolder();
  // A file dropped here would replace the app in the window; say where PRDs go instead.
  const [dropNotice, setDropNotice] = useState<string | null>(null);
  useWindowFileDrop((file) => setDropNotice(`To import ${file.name} as a PRD, open its project first, then drop the file on the project's window.`));

  const choose = () => {
    open.reset();
    pick.mutate(undefined, {
      onSuccess: (picked) => {
        if (picked === null) return;
        setPath(picked);
        open.mutate(picked, { onSuccess: onOpened });
      },
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (path.trim() === '' || open.isPending) return;
    open.mutate(path.trim(), { onSuccess: (project) => onOpened(project) });
  };

  return (
    <>
    <section aria-labelledby="projects-heading" className="panel">
      <h2 id="projects-heading">Open a project</h2>
      {capabilities.nativeFolderPicker ? (
        <div className="row">
          <button type="button" className="primary" disabled={pick.isPending || open.isPending} onClick={choose}>
            {pick.isPending ? 'Choosing…' : 'Choose folder…'}
          </button>
          <span className="muted">or type its path:</span>
        </div>
      ) : null}
      {pick.isError ? <ErrorMessage error={pick.error} /> : null}
      {dropNotice === null ? null : (
        <p role="status" className="notice">
          {dropNotice}
        </p>
      )}
      <form onSubmit={submit} className="row">
        <label htmlFor={inputId}>Project folder</label>
        <input
          ref={pathInput}
          id={inputId}
          value={path}
          onChange={(event) => setPath(event.target.value)}
          placeholder="/home/you/my-app"
          spellCheck={false}
          autoComplete="off"
        />
        <button type="submit" aria-disabled={open.isPending || path.trim() === ''}>
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
              <button type="button" aria-label={`Forget ${project.name}`} onClick={() => forget.mutate(project.path, { onSuccess: () => pathInput.current?.focus() })}>
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
