import { Suspense, lazy, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useRpc } from '../../rpc/RpcContext';
import type { ProjectSummary } from '../../../src-shared/rpc/contract';
import { useLiveRun } from '../runs/queries';
import { RunView } from '../runs/RunView';
import { useTaskEvents } from '../tasks/queries';
import { TasksView } from '../tasks/TasksView';
import { CheckpointsView } from '../checkpoints/CheckpointsView';
import { PrdView } from '../prd/PrdView';
import { SettingsView } from '../settings/SettingsView';
import { UsageView } from '../usage/UsageView';

// React Flow and dagre are most of the bundle; load them when the Graph tab first opens.
const GraphView = lazy(async () => ({ default: (await import('../graph/GraphView')).GraphView }));

const TABS = ['Plan', 'Tasks', 'Graph', 'Run', 'Checkpoints', 'Usage', 'Settings'] as const;
type Tab = (typeof TABS)[number];

/** An open project: its name and path, and tabs for its tasks, dependency graph and runs. */
export function ProjectWorkspace({ project, onClose }: { readonly project: ProjectSummary; readonly onClose: () => void }) {
  const [tab, setTab] = useState<Tab>('Tasks');
  const [selectedTaskId, setSelectedTaskId] = useState<string | null>(null);
  const tabRefs = useRef(new Map<Tab, HTMLButtonElement>());
  const live = useLiveRun(project.path);
  const rpc = useRpc();
  // A clicked notification shows its task.
  useEffect(
    () =>
      rpc.subscribe('ui.focusTask', (event) => {
        if (event.project !== null && event.project !== project.path) return;
        setTab('Tasks');
        setSelectedTaskId(event.taskId);
      }),
    [rpc, project.path],
  );
  useTaskEvents(project.path);

  // Arrow keys move between tabs (WAI-ARIA tabs pattern); Tab moves into the panel.
  const onTabKey = (event: KeyboardEvent) => {
    const index = TABS.indexOf(tab);
    const next = event.key === 'ArrowRight' ? index + 1 : event.key === 'ArrowLeft' ? index - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? TABS.length - 1 : null;
    if (next === null) return;
    event.preventDefault();
    const target = TABS[(next + TABS.length) % TABS.length] as Tab;
    setTab(target);
    tabRefs.current.get(target)?.focus();
  };

  return (
    <section aria-label="Current project" className="workspace">
      <header className="workspace-head">
        <div>
          <h2>{project.name}</h2>
          <p className="muted path">{project.path}</p>
        </div>
        <div role="tablist" aria-label="Project views" className="tabs" onKeyDown={onTabKey}>
          {TABS.map((name) => (
            <button
              key={name}
              ref={(element) => {
                if (element === null) tabRefs.current.delete(name);
                else tabRefs.current.set(name, element);
              }}
              type="button"
              role="tab"
              id={`tab-${name}`}
              aria-selected={tab === name}
              aria-controls={`panel-${name}`}
              tabIndex={tab === name ? 0 : -1}
              onClick={() => setTab(name)}
            >
              {name}
            </button>
          ))}
        </div>
        <button type="button" onClick={onClose}>
          Switch project
        </button>
      </header>
      {project.isGitRepository ? null : (
        <p className="muted notice">This folder is not a git repository: workers would share it, so tasks run one at a time. Initialise git (git init, then commit once) to run them in parallel, each in its own worktree.</p>
      )}
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tabpanel">
        {tab === 'Tasks' ? <TasksView project={project.path} selectedId={selectedTaskId} onSelect={setSelectedTaskId} /> : null}
        {tab === 'Graph' ? (
          <Suspense fallback={<p role="status">Loading the graph…</p>}>
            <GraphView project={project.path} selectedId={selectedTaskId} onSelect={setSelectedTaskId} />
          </Suspense>
        ) : null}
        {tab === 'Run' ? <RunView project={project.path} live={live} /> : null}
        {tab === 'Plan' ? <PrdView project={project.path} /> : null}
        {tab === 'Checkpoints' ? <CheckpointsView project={project.path} /> : null}
        {tab === 'Usage' ? <UsageView project={project.path} /> : null}
        {tab === 'Settings' ? <SettingsView project={project.path} /> : null}
      </div>
    </section>
  );
}
