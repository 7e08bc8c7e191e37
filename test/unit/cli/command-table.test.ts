import { describe, expect, it } from 'vitest';
import { buildProgramFor, requestedCommand } from '../../../src-main/cli/command-table';
import { buildProgram } from '../../../src-main/cli/program';

describe('co loads only the command it runs', () => {
  it('finds the command after the global working-dir option, in each of its spellings', () => {
    expect(requestedCommand(['list', '--json'])).toBe('list');
    expect(requestedCommand(['-d', '/work/app', 'list'])).toBe('list');
    expect(requestedCommand(['--working-dir', '/work/app', 'run', '--workers', '2'])).toBe('run');
    expect(requestedCommand(['--working-dir=/work/app', 'show', '3'])).toBe('show');
    expect(requestedCommand(['--version'])).toBe('--version');
    expect(requestedCommand(['-d', '/work/app'])).toBeUndefined();
    expect(requestedCommand([])).toBeUndefined();
  });

  it('every command `co --help` lists is built, with the same options, from its own module alone', async () => {
    const full = buildProgram();
    const names = full.commands.map((command) => command.name());
    expect(names.length).toBeGreaterThan(15);
    for (const name of names) {
      const program = await buildProgramFor([name]);
      const built = program.commands.find((command) => command.name() === name);
      expect(built, `co ${name}`).toBeDefined();
      // Only that module's commands: not the whole program.
      expect(program.commands.length, `co ${name}`).toBeLessThan(names.length);
      const expected = full.commands.find((command) => command.name() === name);
      expect(built?.options.map((option) => option.flags), `co ${name}`).toEqual(expected?.options.map((option) => option.flags));
      expect(built?.description(), `co ${name}`).toBe(expected?.description());
    }
  });

  it('help and unknown commands get the whole program; --version gets the root alone', async () => {
    expect((await buildProgramFor([])).commands.length).toBe(buildProgram().commands.length);
    expect((await buildProgramFor(['frobnicate'])).commands.length).toBe(buildProgram().commands.length);
    expect((await buildProgramFor(['--version'])).commands).toHaveLength(0);
  });
});
