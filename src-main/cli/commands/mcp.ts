import type { Command } from 'commander';
import { cliAction } from '../cli-errors';
import { projectContext } from '../project-context';

/**
 * `co mcp`: an MCP server over stdio for the project in the working directory (or --working-dir),
 * so Claude Code, Cursor or any MCP client can read and change its task graph while it works.
 */
export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description('serve the project’s task graph to an MCP client over stdio (register with: claude mcp add orchestrator -- co mcp)')
    .action(
      cliAction(async (_options: unknown, command: Command) => {
        // stdout carries the protocol alone: anything printed goes to stderr, which clients show as the server's log.
        console.log = console.error;
        console.info = console.error;
        console.warn = console.error;
        console.debug = console.error;
        const context = projectContext(command);
        const { serveMcpOverStdio } = await import('../mcp/mcp-server');
        await serveMcpOverStdio(context);
      }),
    );
}
