/** Words that change how a shell reads a command; a segment holding one cannot be matched by a prefix rule. */
const SHELL_SYNTAX = /[$`()<>{}\\]/;
/** A redirection of one descriptor onto another ("2>&1"), dropped before a segment is judged. */
const DESCRIPTOR_REDIRECT = /(^|\s)\d*>&\d+(?=\s|$)/g;
/** A leading variable assignment ("CI=1 npm test"). */
const LEADING_ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*=\S*\s+)+/;
/** Trailing arguments that name where to run rather than what ("./...", ".", "src/"): the agent will vary them. */
const PLACE_ARGUMENT = /^(\.{1,2}(\/.*)?|\/.*|.*\/)$/;

/**
 * Claude Code permission rules (`Bash(<command>:*)`) that let an agent under acceptEdits run the
 * project's own check commands: each `&&`, `||`, `;` or `|` segment of each command becomes a prefix
 * rule, without leading variable assignments and trailing place arguments (`go test ./...` →
 * `Bash(go test:*)`). Segments with shell syntax (`$`, backticks, subshells, file redirections) and `cd`
 * are left out: a prefix rule cannot describe them safely.
 */
export function deriveAllowedTools(commands: ReadonlyArray<string>): string[] {
  const rules: string[] = [];
  for (const command of commands) {
    for (const rawSegment of command.split(/&&|\|\||[;|\n]/)) {
      const prefix = commandPrefix(rawSegment);
      if (prefix === null) continue;
      const rule = `Bash(${prefix}:*)`;
      if (!rules.includes(rule)) rules.push(rule);
    }
  }
  return rules;
}

/** The tools Claude Code may use without asking: `claude_cli.allowed_tools` when set, else derived from checks.setup and checks.verify. */
export function allowedToolsFor(config: {
  readonly checks: { readonly setup: ReadonlyArray<string>; readonly verify: ReadonlyArray<string> };
  readonly claude_cli: { readonly allowed_tools?: ReadonlyArray<string> | undefined };
}): string[] {
  const configured = config.claude_cli.allowed_tools;
  if (configured !== undefined) return [...configured];
  return deriveAllowedTools([...config.checks.setup, ...config.checks.verify]);
}

function commandPrefix(segment: string): string | null {
  const cleaned = segment.replace(DESCRIPTOR_REDIRECT, ' ').trim().replace(LEADING_ASSIGNMENT, '');
  if (cleaned === '' || SHELL_SYNTAX.test(cleaned)) return null;
  const words = cleaned.split(/\s+/);
  if (words[0] === 'cd') return null;
  while (words.length > 1 && PLACE_ARGUMENT.test(words[words.length - 1] ?? '')) words.pop();
  return words.join(' ');
}
