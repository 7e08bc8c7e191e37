import { z } from 'zod';

/** A finding stored for later tasks (the worker reports it; see worker-backend's Discovery). */
export interface StoredDiscovery {
  readonly id: number;
  readonly taskId: string | null;
  readonly attemptId: string | null;
  readonly runId: string | null;
  readonly summary: string;
  readonly details: string | null;
  readonly tags: ReadonlyArray<string>;
  readonly files: ReadonlyArray<string>;
  readonly createdAt: number;
}

/** Zod schema of a discovery as a worker or a user reports it. */
export const DiscoveryInputSchema = z.strictObject({
  summary: z.string().trim().min(1, 'a discovery needs a summary'),
  details: z.string().optional(),
  tags: z.array(z.string()).default([]),
  files: z.array(z.string()).default([]),
});
