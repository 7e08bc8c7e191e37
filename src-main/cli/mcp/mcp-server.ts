import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { RpcError } from '../../../src-shared/rpc/errors';
import { readAppVersion } from '../../host/package-root';
import { CliError } from '../cli-error';
import { oneLine, toCliError } from '../cli-errors';
import type { ProjectContext } from '../project-context';
import type { McpTool } from './mcp-tool';
import { PLANNING_TOOLS } from './planning-tools';
import { PROJECT_TOOLS } from './project-tools';
import { TASK_TOOLS } from './task-tools';

/** Every tool of `co mcp`: Task Master's names first, then ours. */
export const MCP_TOOLS: ReadonlyArray<McpTool> = [...TASK_TOOLS, ...PLANNING_TOOLS, ...PROJECT_TOOLS];

const INSTRUCTIONS =
  'Claude Orchestrator’s task graph for one project: read and change tasks (Task Master’s tool names), split them or plan them from a PRD with the manager, record discoveries, and see what runs are doing. Changes are stored at once in the same database the app and `co` use.';

/**
 * Serves the project's task graph over MCP on stdin/stdout until the client closes stdin. Only the
 * protocol goes to stdout: the caller sends console output to stderr.
 */
export async function serveMcpOverStdio(project: ProjectContext): Promise<void> {
  const server = new Server({ name: 'claude-orchestrator', title: 'Claude Orchestrator', version: readAppVersion() }, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });
  const byName = new Map(MCP_TOOLS.map((tool) => [tool.name, tool]));
  const listed: Tool[] = MCP_TOOLS.map((tool) => ({ name: tool.name, title: tool.title, description: tool.description, inputSchema: inputJsonSchema(tool.inputSchema), annotations: { title: tool.title } }));
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
  server.setRequestHandler(CallToolRequestSchema, (request) => callTool(byName.get(request.params.name), request.params.name, request.params.arguments, project));
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve;
  });
  await server.connect(new StdioServerTransport());
  // The transport does not notice the client going away; stdin ending is that signal.
  process.stdin.once('end', () => void server.close());
  await closed;
}

/** Runs one tool call; every failure is a tool error (isError) with one line a person can act on, never a crash. */
export async function callTool(tool: McpTool | undefined, name: string, args: unknown, project: ProjectContext): Promise<CallToolResult> {
  if (tool === undefined) return toolError(`no tool named "${name}"; the tools are ${MCP_TOOLS.map((known) => known.name).join(', ')}.`);
  try {
    const result = await tool.call(args, project);
    return { content: [{ type: 'text', text: JSON.stringify(result ?? null, null, 2) }] };
  } catch (error) {
    return toolError(errorLine(error));
  }
}

/** The CLI's one-line message for an error a user can fix; anything else is logged to stderr with its stack and reported briefly. */
function errorLine(error: unknown): string {
  if (error instanceof RpcError) return oneLine(error.message);
  const mapped = toCliError(error);
  if (mapped instanceof CliError) return mapped.message;
  console.error(`co mcp: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return `unexpected error: ${oneLine(error instanceof Error ? error.message : String(error))} (details in the server's log)`;
}

function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** A tool's zod input schema as the JSON Schema clients read (the input side: what to send). */
function inputJsonSchema(schema: z.ZodType): Tool['inputSchema'] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  if (json['type'] !== 'object') throw new Error('An MCP tool’s input schema must be an object.');
  return json as Tool['inputSchema'];
}
