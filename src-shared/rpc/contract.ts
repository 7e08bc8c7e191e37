import { z } from 'zod';

/**
 * The one contract between the renderer (or any client) and the host: every method with a
 * zod input and output schema, and every pushed event with its payload schema. Both
 * transports (Electron IPC and WebSocket) carry exactly this; the host validates every input.
 */

const emptyInput = z.object({}).strict();

/** A project folder the user has opened. */
export const projectSummarySchema = z.object({
  path: z.string(),
  name: z.string(),
  lastOpenedAt: z.string(),
  isGitRepository: z.boolean(),
});
export type ProjectSummary = z.infer<typeof projectSummarySchema>;

/** What the host says about itself. */
export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  nodeVersion: z.string(),
  transport: z.enum(['electron-ipc', 'websocket', 'in-process']),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** Methods: name → input and output schemas. */
export const methods = {
  'app.info': { input: emptyInput, output: appInfoSchema },
  'projects.list': { input: emptyInput, output: z.array(projectSummarySchema) },
  'projects.open': {
    input: z.object({ path: z.string().min(1, 'Choose a project folder.') }).strict(),
    output: projectSummarySchema,
  },
  'projects.forget': {
    input: z.object({ path: z.string().min(1) }).strict(),
    output: z.object({ removed: z.boolean() }),
  },
} as const;

/** Pushed events: name → payload schema. */
export const events = {
  'project.opened': projectSummarySchema,
  'projects.changed': z.object({ count: z.number().int().nonnegative() }),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
/** Input after validation (defaults applied). */
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

/** Whether a string names a method of the contract. */
export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/** Whether a string names an event of the contract. */
export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}
