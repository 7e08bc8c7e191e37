import { z } from 'zod';
import type { Discovery } from '../../engine/worker-backend';

const discoverySchema = z.object({
  summary: z.string().trim().min(1),
  details: z.string().optional(),
  tags: z.array(z.string()).default([]),
  files: z.array(z.string()).default([]),
});

/** The fence name workers are told to use. */
export const DISCOVERIES_FENCE = 'discoveries';

/** What parsing found: the valid discoveries and a note for each part that was dropped. */
export interface ParsedDiscoveries {
  readonly discoveries: ReadonlyArray<Discovery>;
  readonly problems: ReadonlyArray<string>;
}

/** Reads the last ```discoveries [...] ``` block of a worker's final text; tolerant of bad items and bad JSON. */
export function parseDiscoveries(finalText: string): ParsedDiscoveries {
  const blocks = [...finalText.matchAll(/```discoveries[^\n]*\n([\s\S]*?)```/g)];
  const last = blocks.at(-1)?.[1];
  if (last === undefined) return { discoveries: [], problems: [] };
  let json: unknown;
  try {
    json = JSON.parse(last);
  } catch (error) {
    return { discoveries: [], problems: [`The discoveries block is not valid JSON: ${(error as Error).message}`] };
  }
  const items = Array.isArray(json) ? json : [json];
  const discoveries: Discovery[] = [];
  const problems: string[] = [];
  items.forEach((item, index) => {
    const parsed = discoverySchema.safeParse(item);
    if (parsed.success) {
      const { details, ...rest } = parsed.data;
      discoveries.push(details === undefined ? rest : { ...rest, details });
    } else {
      problems.push(`Discovery ${index + 1} was dropped: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(item)'} ${issue.message}`).join('; ')}`);
    }
  });
  return { discoveries, problems };
}
