import { Suspense, lazy, useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useStoredState } from '../../app/use-stored-state';
import { useRpc } from '../../rpc/RpcContext';
import type { ProjectSummary } from '../../../src-shared/rpc/contract';
import { useLiveRun } from '../runs/queries';
import { RunView } from '../runs/RunView';
import { useTaskEvents } from '../tasks/queries';
import { TasksView } from '../tasks/TasksView';
import { CheckpointsView } from '../checkpoints/CheckpointsView';
import { PrdView, type DroppedFile } from '../prd/PrdView';
import { SettingsView } from '../settings/SettingsView';
import { InsightsView } from '../insights/InsightsView';
import { UsageView } from '../usage/UsageView';
import { GitNotice } from './GitNotice';
import { TerminalDock } from '../terminal/TerminalDock';
import { TerminalProvider } from '../terminal/terminal-context';
import { useWindowFileDrop } from './use-file-drop';

// React Flow and dagre are most of the bundle; load them when the Graph tab first opens.
const GraphView = lazy(async () => ({ default: (await import('../graph/GraphView')).GraphView }));

const TABS = ['Plan', 'Tasks', 'Graph', 'Run', 'Checkpoints', 'Usage', 'Insights', 'Settings'] as const;
type Tab = (typeof TABS)[number];

interface ProjectWorkspaceProps {
  readonly project: ProjectSummary;
  readonly onClose: () => void;
  /** The project's summary changed (git was initialised). */
  readonly onProjectChanged: (project: ProjectSummary) => void;
}

/** An open project: its name and path, tabs for its tasks, dependency graph and runs, and its terminal. */
export function ProjectWorkspace(props: ProjectWorkspaceProps) {
  return (
    <TerminalProvider project={props.project.path}>
      <ProjectWorkspaceView {...props} />
    </TerminalProvider>
  );
}

function ProjectWorkspaceView({ project, onClose, onProjectChanged }: ProjectWorkspaceProps) {
  // Each project reopens on the tab and task it was left on, also after a restart.
  const [storedTab, setTab] = useStoredState<string>(`workspace:${project.path}:tab`, 'Tasks', 'local');
  const tab: Tab = (TABS as ReadonlyArray<string>).includes(storedTab) ? (storedTab as Tab) : 'Tasks';
  const [selectedTaskId, setSelectedTaskId] = useStoredState<string | null>(`workspace:${project.path}:task`, null, 'local');
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
    [rpc, project.path, setTab, setSelectedTaskId],
  );
  useTaskEvents(project.path);

  // A .md/.txt file dropped anywhere on the window becomes the PRD: the Plan tab opens and imports it.
  const [dragging, setDragging] = useState(false);
  const [dropped, setDropped] = useState<DroppedFile | null>(null);
  const dropCount = useRef(0);
  useWindowFileDrop((file) => {
    dropCount.current += 1;
    setDropped({ file, seq: dropCount.current });
    setTab('Plan');
  }, setDragging);
  const dropTaken = useCallback(() => setDropped(null), []);

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
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          Drop a .md or .txt file to import it as the PRD
        </div>
      ) : null}
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
      {project.isGitRepository ? null : <GitNotice project={project} onInitialised={onProjectChanged} />}
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tabpanel">
        {tab === 'Tasks' ? <TasksView project={project.path} selectedId={selectedTaskId} onSelect={setSelectedTaskId} /> : null}
        {tab === 'Graph' ? (
          <Suspense fallback={<p role="status">Loading the graph…</p>}>
            <GraphView project={project.path} selectedId={selectedTaskId} onSelect={setSelectedTaskId} />
          </Suspense>
        ) : null}
        {tab === 'Run' ? <RunView project={project.path} live={live} /> : null}
        {tab === 'Plan' ? <PrdView project={project.path} dropped={dropped} onDropTaken={dropTaken} /> : null}
        {tab === 'Checkpoints' ? <CheckpointsView project={project.path} /> : null}
        {tab === 'Usage' ? <UsageView project={project.path} /> : null}
        {tab === 'Insights' ? <InsightsView project={project.path} /> : null}
        {tab === 'Settings' ? <SettingsView project={project.path} /> : null}
      </div>
      <TerminalDock project={project.path} />
    </section>
  );
}
