import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { validationError } from '../../../src-shared/rpc/errors';
import { CliError } from '../cli-error';
import type { ProjectContext } from '../project-context';

/** One tool of the MCP server: its name and description as clients list them, its input schema, and what it does. */
export interface McpTool {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: z.ZodType;
  /** Validates the arguments, then acts on the project; throws the errors a user can fix as the CLI does. */
  readonly call: (args: unknown, project: ProjectContext) => Promise<unknown>;
}

/** What defineTool needs: the handler receives arguments already checked by `input`. */
interface ToolSpec<S extends z.ZodType> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly input: S;
  readonly run: (args: z.output<S>, project: ProjectContext) => Promise<unknown> | unknown;
}

/**
 * A tool whose arguments are checked by its zod schema before it runs: a wrong argument is refused
 * with the message the RPC contract gives ("Invalid input for add_task: priority: …"), and a
 * `projectRoot` naming another folder than the served project is refused.
 */
export function defineTool<S extends z.ZodType>(spec: ToolSpec<S>): McpTool {
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    inputSchema: spec.input,
    call: async (args, project) => {
      const parsed = spec.input.safeParse(args ?? {});
      if (!parsed.success) throw validationError(spec.name, 'input', parsed.error);
      const root = (parsed.data as { readonly projectRoot?: unknown }).projectRoot;
      if (typeof root === 'string') assertServedProject(root, project.workingDir);
      return spec.run(parsed.data, project);
    },
  };
}

/** Refuses a projectRoot that is not the folder this server serves (one server per project). */
function assertServedProject(projectRoot: string, workingDir: string): void {
  if (canonical(projectRoot) === canonical(workingDir)) return;
  throw new CliError(
    `this MCP server serves the project ${workingDir}, not ${projectRoot}; register another server for that project (\`co --working-dir ${projectRoot} mcp\`), or leave projectRoot out.`,
  );
}

function canonical(folder: string): string {
  const resolved = path.resolve(folder);
  try {
    return realpathSync(resolved);
  } catch {
    return resolved;
  }
}
