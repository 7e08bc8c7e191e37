import { Background, Controls, MarkerType, ReactFlow, type Edge, type NodeTypes } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useMemo, useRef, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { isHeldByTerminal } from '../../../src-shared/domain/task-hold';
import type { Task } from '../../../src-shared/rpc/contract';
import { ErrorMessage } from '../../app/ErrorMessage';
import { statusLabel } from '../tasks/filters';
import { useTasks } from '../tasks/queries';
import { TaskDetail } from '../tasks/TaskDetail';
import { criticalPath, edgeKey } from './critical-path';
import { NODE_HEIGHT, NODE_WIDTH, layoutTasks, parseStructureKey, structureKey } from './layout';
import { TaskNode, type TaskFlowNode } from './TaskNode';

const nodeTypes: NodeTypes = { task: TaskNode };
const EMPTY: ReadonlyArray<Task> = [];
// Marker colours cannot come from CSS variables; these match --accent and React Flow's edge grey.
const CRITICAL_COLOUR = '#c15f3c';
const EDGE_COLOUR = '#b1b1b7';
/** From this many tasks the graph opens zoomed on the critical path and renders only what is on screen. */
const LARGE_GRAPH = 100;
/** What a screen reader says on a focused node; React Flow's default talks about selecting and moving nodes, which this graph does not do. */
const ARIA_LABELS = {
  'node.a11yDescription.default': 'Press Enter to open the task.',
  'node.a11yDescription.keyboardDisabled': 'Press Enter to open the task.',
};

/** Finished work is off the critical path: it no longer delays anything. */
const isOpen = (task: { readonly id: string }, byId: ReadonlyMap<string, Task>): boolean => {
  const status = byId.get(task.id)?.status;
  return status !== 'done' && status !== 'cancelled';
};

interface GraphViewProps {
  readonly project: string;
  readonly selectedId: string | null;
  readonly onSelect: (taskId: string | null) => void;
}

/**
 * The Graph tab: the dependency graph laid out top to bottom, coloured by status, with the critical path of the remaining work highlighted.
 * Nodes are in the Tab order (edges are not: they only describe); Enter or Space opens a node's task, and closing it returns focus to the node.
 */
export function GraphView({ project, selectedId, onSelect }: GraphViewProps) {
  const tasks = useTasks(project);
  const all = tasks.data ?? EMPTY;
  // Layout runs only when tasks or edges change; status changes just recolour.
  const key = useMemo(() => structureKey(all), [all]);
  const structure = useMemo(() => parseStructureKey(key), [key]);
  const positions = useMemo(() => layoutTasks(structure), [structure]);
  const byId = useMemo(() => new Map(all.map((task) => [task.id, task])), [all]);
  const critical = useMemo(() => criticalPath(structure, (task) => isOpen(task, byId)), [structure, byId]);

  const nodes = useMemo<TaskFlowNode[]>(
    () =>
      structure.map((entry) => {
        const task = byId.get(entry.id);
        const status = task?.status ?? 'pending';
        const onPath = critical.nodes.has(entry.id);
        const inTerminal = task !== undefined && isHeldByTerminal(task, Date.now());
        return {
          id: entry.id,
          type: 'task',
          position: positions.get(entry.id) ?? { x: 0, y: 0 },
          width: NODE_WIDTH,
          height: NODE_HEIGHT,
          ariaRole: 'button',
          ariaLabel: `Task ${entry.id}: ${task?.title ?? ''} (${statusLabel(status)}${inTerminal ? ', in terminal' : ''}${onPath ? ', critical path' : ''})`,
          data: { id: entry.id, title: task?.title ?? '', status, critical: onPath, selected: entry.id === selectedId, inTerminal },
        };
      }),
    [structure, positions, byId, critical, selectedId],
  );
  const edges = useMemo<Edge[]>(
    () =>
      structure.flatMap((entry) =>
        entry.dependencies
          .filter((dependency) => byId.has(dependency))
          .map((dependency) => {
            const id = edgeKey(dependency, entry.id);
            const onPath = critical.edges.has(id);
            return {
              id,
              source: dependency,
              target: entry.id,
              ariaLabel: `Task ${entry.id} depends on ${dependency}`,
              className: onPath ? 'critical' : undefined,
              zIndex: onPath ? 1 : 0,
              markerEnd: { type: MarkerType.ArrowClosed, width: onPath ? 9 : 16, height: onPath ? 9 : 16, color: onPath ? CRITICAL_COLOUR : EDGE_COLOUR },
            };
          }),
      ),
    [structure, byId, critical],
  );

  // A big graph fitted whole is unreadable and renders every node: start at the head of the critical path instead.
  const large = structure.length > LARGE_GRAPH;
  const fitViewOptions = useMemo(
    () => (large && critical.ids.length > 0 ? { nodes: critical.ids.slice(0, 3).map((id) => ({ id })), padding: 0.4, maxZoom: 1, minZoom: 0.6 } : { padding: 0.15, maxZoom: 1.2 }),
    [large, critical],
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      const node = (event.target as HTMLElement).closest<HTMLElement>('.react-flow__node');
      const id = node?.dataset['id'];
      if (id === undefined) return;
      event.preventDefault();
      onSelect(id);
    },
    [onSelect],
  );
  const canvas = useRef<HTMLDivElement>(null);
  const closeDetail = () => {
    flushSync(() => onSelect(null));
    const node = [...(canvas.current?.querySelectorAll<HTMLElement>('.react-flow__node') ?? [])].find((element) => element.dataset['id'] === selectedId);
    node?.focus();
  };

  if (tasks.isPending) return <p role="status">Loading the graph…</p>;
  if (tasks.isError) return <ErrorMessage error={tasks.error} />;
  if (all.length === 0) return <p className="empty">No tasks yet, so no graph. Add tasks in the Tasks tab.</p>;

  return (
    <div className={selectedId === null ? 'graph-view' : 'graph-view with-detail'}>
      <div className="graph-pane">
        <p className="legend muted">
          {all.length} tasks · {edges.length} dependencies{large ? ' · use the fit button to see all' : ''} · critical path: {critical.ids.length === 0 ? 'none (all work finished)' : critical.ids.join(' → ')}
        </p>
        <div className="graph-canvas" role="region" aria-label="Dependency graph" ref={canvas} onKeyDown={onKeyDown}>
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodeClick={(_event, node) => onSelect(node.id)}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            edgesFocusable={false}
            ariaLabelConfig={ARIA_LABELS}
            onlyRenderVisibleElements={large}
            colorMode="system"
            fitView
            fitViewOptions={fitViewOptions}
            minZoom={0.05}
          >
            <Background />
            <Controls showInteractive={false} fitViewOptions={{ padding: 0.1 }} />
          </ReactFlow>
        </div>
      </div>
      {selectedId !== null ? <TaskDetail key={selectedId} project={project} taskId={selectedId} tasks={all} onSelect={onSelect} onClose={closeDetail} /> : null}
    </div>
  );
}
