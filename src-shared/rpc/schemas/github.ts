import { z } from 'zod';

/** `owner/name` of a GitHub repository. */
export const repositoryNameSchema = z
  .string()
  .max(201, 'too long: owner/name has at most 201 characters')
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'Give the repository as owner/name.');

/** An issue of the repository, with the task it was imported as (null when not yet). */
export const gitHubIssueSchema = z.object({
  number: z.number(),
  title: z.string(),
  body: z.string(),
  htmlUrl: z.string(),
  state: z.enum(['open', 'closed']),
  labels: z.array(z.string()).readonly(),
  importedAs: z.string().nullable(),
});

const importEntry = z.object({ taskId: z.string(), issue: z.number() });

/** What importing issues did. */
export const issueImportSummarySchema = z.object({
  created: z.array(importEntry).readonly(),
  updated: z.array(importEntry).readonly(),
  unchanged: z.array(importEntry).readonly(),
  busy: z.array(importEntry).readonly(),
});

/** A run's pull request: opened (url, number) or, in a dry run, only composed. */
export const pullRequestOutcomeSchema = z.object({
  dryRun: z.boolean(),
  repository: z.string(),
  runId: z.string(),
  branch: z.string(),
  base: z.string().nullable(),
  commit: z.string(),
  title: z.string(),
  body: z.string(),
  closes: z.array(z.string()).readonly(),
  url: z.string().nullable(),
  number: z.number().nullable(),
  note: z.string().nullable(),
});

/** Where the GitHub token comes from, masked; never the value. */
export const gitHubTokenStatusSchema = z.object({
  source: z.enum(['GITHUB_TOKEN', 'GH_TOKEN', 'keychain', 'gh auth token', 'none']),
  masked: z.string().nullable(),
  apiUrl: z.string(),
});
