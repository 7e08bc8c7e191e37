import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { TaskStatus } from '../../../src-shared/domain/task-status';
import { statusLabel } from '../tasks/filters';
import { InTerminalBadge } from '../tasks/InTerminalBadge';

/** What a task node shows. */
export interface TaskNodeData extends Record<string, unknown> {
  readonly id: string;
  readonly title: string;
  readonly status: TaskStatus;
  readonly critical: boolean;
  readonly selected: boolean;
  /** A person drives the task's session in a terminal. */
  readonly inTerminal: boolean;
}

/** A task node of the graph. */
export type TaskFlowNode = Node<TaskNodeData, 'task'>;

/** A task in the dependency graph: id, title and status, coloured by status; critical-path tasks get a heavy outline. */
export const TaskNode = memo(function TaskNode({ data }: NodeProps<TaskFlowNode>) {
  const classes = ['task-node', `node-${data.status}`, data.critical ? 'critical' : '', data.selected ? 'selected' : ''].filter((name) => name !== '').join(' ');
  return (
    <div className={classes}>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="task-node-title">
        <span className="task-id">{data.id}</span> {data.title}
      </div>
      <div className="task-node-status">
        {statusLabel(data.status)}
        {data.inTerminal ? <InTerminalBadge /> : null}
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});
