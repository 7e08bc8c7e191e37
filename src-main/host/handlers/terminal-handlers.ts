import type { Handlers } from '../../../src-shared/rpc/server';
import { RpcError } from '../../../src-shared/rpc/errors';
import { findClaude } from '../../agents/claude-cli/find-claude';
import type { ProjectRuntime } from '../../runtime/project-runtime';
import type { TerminalProject, TerminalSessions } from '../../terminal/terminal-sessions';
import { taskCommitMessage } from '../../workspace/worktrees';
import { mapEngineErrors } from '../engine-errors';
import type { ProjectSessions } from '../project-sessions';

type TerminalHandlers = Pick<Handlers, 'terminal.open' | 'terminal.list' | 'terminal.attach' | 'terminal.write' | 'terminal.resize' | 'terminal.close'>;

/** Handlers of the terminal takeover: open a terminal on an attempt's work, stream it, close it with the person's decision. */
export function terminalHandlers(sessions: ProjectSessions, terminals: TerminalSessions): TerminalHandlers {
  return {
    'terminal.open': async ({ project, attemptId, kind, cols, rows }) => {
      const runtime = await sessions.get(project);
      if (!runtime.usesWorktrees) {
        throw new RpcError('failed_precondition', 'Taking over an attempt needs git worktrees (a git repository with git.enabled and execution.use_git_worktrees on); without them workers share the project folder, so open your own terminal there.');
      }
      return mapEngineErrors(() => terminals.open(terminalProject(runtime), { attemptId, kind, cols, rows }));
    },
    'terminal.list': async ({ project }) => [...terminals.list((await sessions.get(project)).projectDir)],
    'terminal.attach': async ({ project, sessionId }) => terminals.attach((await sessions.get(project)).projectDir, sessionId),
    'terminal.write': async ({ project, sessionId, data }) => ({ written: terminals.write((await sessions.get(project)).projectDir, sessionId, data) }),
    'terminal.resize': async ({ project, sessionId, cols, rows }) => ({ resized: terminals.resize((await sessions.get(project)).projectDir, sessionId, cols, rows) }),
    'terminal.close': async ({ project, sessionId, decision }) => {
      const runtime = await sessions.get(project);
      return mapEngineErrors(() => terminals.close(runtime.projectDir, sessionId, decision));
    },
  };
}

/** A project runtime as a terminal needs it. */
function terminalProject(runtime: ProjectRuntime): TerminalProject {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  return {
    projectDir: runtime.projectDir,
    store: runtime.orchestrator.store,
    bus: runtime.orchestrator.events,
    env,
    // Claude Code in the terminal bills the way the project's workers do.
    claudeEnv: runtime.apiKey.key === null ? {} : { ANTHROPIC_API_KEY: runtime.apiKey.key },
    claudePath: async () => (await findClaude(runtime.config.claude_cli.path === undefined ? {} : { configuredPath: runtime.config.claude_cli.path })).path,
    claudeArgs: ['--permission-mode', runtime.config.claude_cli.permission_mode],
    commitMessage: (task) => taskCommitMessage(runtime.config.git.commit_message_prefix, task),
    startRun: async (taskIds) => (runtime.orchestrator.getStatus().running ? null : runtime.start({ taskIds })),
  };
}
