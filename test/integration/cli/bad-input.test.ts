import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBuilt, coBin, isOneLineError, projectState, tempProject } from './cli-harness';

describe.skipIf(!cliBuilt)('co with bad input (built CLI): non-zero exit, one line, nothing changed', async () => {
  it('refuses unknown ids, invalid values, unknown flags and commands, missing files', async () => {
    const project = tempProject({ git: true });
    try {
      await project.co(['init']);
      await project.co(['add', 'First']);
      await project.co(['add', 'Second', '--depends-on', '1']);
      const before = projectState(project.dir);
      const cases: ReadonlyArray<{ readonly args: ReadonlyArray<string>; readonly says: string }> = [
        { args: ['show', '42'], says: 'task 42 does not exist' },
        { args: ['update', '42', '--status', 'done'], says: 'task 42 does not exist' },
        { args: ['update', '1', '--status', 'finished'], says: 'unknown status "finished"' },
        { args: ['update', '1', '--status', 'claimed'], says: 'set by the scheduler' },
        { args: ['update', '1', '--priority', 'urgent', '--title', 'Renamed'], says: '--priority must be high, medium, low' },
        { args: ['update', '1'], says: 'nothing to update' },
        { args: ['delete', '42'], says: 'task 42 does not exist' },
        { args: ['delete', '1'], says: 'task 2 depends on task 1' },
        { args: ['add', 'Third', '--depends-on', '7'], says: '7' },
        { args: ['add', 'Third', '--priority', '11'], says: '--priority' },
        { args: ['list', '--filter-status', 'later'], says: 'unknown status "later"' },
        { args: ['list', '--bogus'], says: "unknown option '--bogus'" },
        { args: ['frobnicate'], says: "unknown command 'frobnicate'" },
        { args: ['show'], says: "missing required argument 'id'" },
        { args: ['rollback', '20200101T000000000Z-00000000'], says: 'does not exist' },
        { args: ['rollback', 'x', '--strategy', 'sideways'], says: '--strategy must be one of full, partial, selective' },
        { args: ['rollback'], says: 'or pass --undo to undo the last rollback' },
        { args: ['rollback', '--undo'], says: 'there is no rollback to undo' },
        { args: ['rollback', '--undo', '--strategy', 'partial'], says: '--undo takes no checkpoint id, --strategy or --tasks' },
        { args: ['import-taskmaster', 'nowhere.json'], says: 'does not exist' },
        { args: ['list', '-d', path.join(project.dir, 'missing')], says: 'does not exist' },
      ];
      // Read-only by design, so they may run side by side; the state is compared once afterwards.
      const results = await Promise.all(cases.map(async (item) => ({ ...item, result: await project.co(item.args) })));
      for (const { args, says, result } of results) {
        expect(isOneLineError(result), `co ${args.join(' ')} → ${result.status} ${result.stderr}`).toBe(true);
        expect(result.stderr, `co ${args.join(' ')}`).toContain(says);
      }
      expect(projectState(project.dir)).toBe(before);
    } finally {
      project.cleanup();
    }
  });

  it('names the file, key and expected type of a malformed config for every command, and changes nothing', async () => {
    const project = tempProject();
    try {
      await project.co(['init']);
      await project.co(['add', 'First']);
      const configFile = path.join(project.dir, 'orchestrator_config.json');
      writeFileSync(configFile, JSON.stringify({ execution: { max_workers: 'four' } }));
      const before = projectState(project.dir);
      for (const args of [['list'], ['add', 'Second'], ['update', '1', '--status', 'done'], ['status'], ['init']]) {
        const result = await project.co(args);
        expect(isOneLineError(result), `co ${args.join(' ')} → ${result.stderr}`).toBe(true);
        expect(result.stderr).toContain(`${configFile}: key execution.max_workers:`);
        expect(result.stderr).toMatch(/expected number/);
      }
      writeFileSync(configFile, '{ "models": ');
      const broken = await project.co(['list']);
      expect(isOneLineError(broken)).toBe(true);
      expect(broken.stderr).toContain(`${configFile} is not valid JSON`);
      const badLevel = await project.co(['list'], { env: { ORCHESTRATOR_LOG_LEVEL: 'chatty' } });
      expect(badLevel.stderr).toContain('ORCHESTRATOR_LOG_LEVEL');
      const missing = await project.co(['list'], { env: { ORCHESTRATOR_CONFIG: 'nope.json' } });
      expect(isOneLineError(missing)).toBe(true);
      expect(missing.stderr).toContain('nope.json (from ORCHESTRATOR_CONFIG) does not exist');
      writeFileSync(configFile, JSON.stringify({ execution: { max_workers: 'four' } }));
      expect(projectState(project.dir)).toBe(before);
    } finally {
      project.cleanup();
    }
  });

  it('stops co list on a config made invalid after a successful list (its quick check keeps up with the file and the environment)', async () => {
    const project = tempProject();
    try {
      await project.co(['init']);
      await project.co(['add', 'First']);
      const configFile = path.join(project.dir, 'orchestrator_config.json');
      const valid = readFileSync(configFile, 'utf8');
      expect((await project.co(['list'])).status).toBe(0);
      expect((await project.co(['list'])).status).toBe(0);
      // The same size, written within the same second: only the bytes differ.
      writeFileSync(configFile, valid.replace('"max_workers": 4', '"max_workers": 0'));
      const afterEdit = await project.co(['list']);
      expect(isOneLineError(afterEdit), afterEdit.stderr).toBe(true);
      expect(afterEdit.stderr).toContain(`${configFile}: key execution.max_workers:`);
      writeFileSync(configFile, valid);
      expect((await project.co(['list'])).status).toBe(0);
      const badEnv = await project.co(['list'], { env: { ORCHESTRATOR_MAX_WORKERS: 'many' } });
      expect(isOneLineError(badEnv), badEnv.stderr).toBe(true);
      expect(badEnv.stderr).toContain('ORCHESTRATOR_MAX_WORKERS');
      const otherFile = path.join(project.dir, 'other.json');
      writeFileSync(otherFile, JSON.stringify({ monitoring: { log_level: 'verbose' } }));
      const viaEnv = await project.co(['list'], { env: { ORCHESTRATOR_CONFIG: 'other.json' } });
      expect(isOneLineError(viaEnv), viaEnv.stderr).toBe(true);
      expect(viaEnv.stderr).toContain('monitoring.log_level');
      writeFileSync(configFile, valid.replace('"log_level": "info"', '"log_level": "debug"'));
      const debug = await project.co(['list']);
      expect(debug.status).toBe(0);
      expect(debug.stderr).toContain('co [debug] working directory');
    } finally {
      project.cleanup();
    }
  });

  it('ends quietly when the reader of its output stops early (co list --json | head)', async () => {
    const project = tempProject();
    try {
      await project.co(['init']);
      for (let index = 0; index < 30; index += 1) await project.co(['add', `Task ${index} ${'with a long description '.repeat(200)}`]);
      const piped = spawnSync('sh', ['-c', `node ${JSON.stringify(coBin)} list --json | head -c 10`], { cwd: project.dir, encoding: 'utf8', env: { ...process.env, CO_USER_DATA: project.userData } });
      expect(piped.stdout).toBe('[\n  {\n    ');
      expect(piped.stderr).not.toMatch(/EPIPE|Unhandled/);
    } finally {
      project.cleanup();
    }
  });

  it('refuses to work in a folder that was never initialised', async () => {
    const project = tempProject();
    try {
      const before = projectState(project.dir);
      const result = await project.co(['add', 'Orphan']);
      expect(isOneLineError(result)).toBe(true);
      expect(result.stderr).toContain('run `co init`');
      expect(projectState(project.dir)).toBe(before);
    } finally {
      project.cleanup();
    }
  });
});
