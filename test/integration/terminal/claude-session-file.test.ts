import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claudeConfigDir, claudeProjectFolderName, makeSessionResumableFrom } from '../../../src-main/terminal/claude-session-file';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("Claude Code's session transcripts for a takeover", () => {
  it('copies a session filed under the attempt’s folder next to the sessions of the slot it is resumed in', async () => {
    const config = mkdtempSync(join(tmpdir(), 'co-claude-config-'));
    folders.push(config);
    const ranIn = '/work/project/.orchestrator/pool/slot-2';
    const resumeIn = '/work/project/.orchestrator/pool/slot-1';
    const sessionId = '2d407cff-0d94-4e04-bce5-c23663963cb3';
    mkdirSync(join(config, 'projects', claudeProjectFolderName(ranIn)), { recursive: true });
    writeFileSync(join(config, 'projects', claudeProjectFolderName(ranIn), `${sessionId}.jsonl`), '{"type":"user"}\n');

    expect(await makeSessionResumableFrom(config, sessionId, resumeIn)).toBe(true);
    expect(readFileSync(join(config, 'projects', '-work-project--orchestrator-pool-slot-1', `${sessionId}.jsonl`), 'utf8')).toBe('{"type":"user"}\n');
    // Already there: nothing to do.
    expect(await makeSessionResumableFrom(config, sessionId, ranIn)).toBe(true);
    // A session Claude Code has no record of, or an id that is no session id, cannot be resumed.
    expect(await makeSessionResumableFrom(config, 'ffffffff-0000-0000-0000-000000000000', resumeIn)).toBe(false);
    expect(await makeSessionResumableFrom(config, '../../etc/passwd', resumeIn)).toBe(false);
  });

  it('finds the config folder as Claude Code does: CLAUDE_CONFIG_DIR, else ~/.claude', () => {
    expect(claudeConfigDir({ CLAUDE_CONFIG_DIR: '/c', HOME: '/h' })).toBe('/c');
    expect(claudeConfigDir({ HOME: '/h' })).toBe('/h/.claude');
  });
});
