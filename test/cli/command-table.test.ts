// A command line loads only its command's modules (src/cli/command-table.ts). Each command built
// that way must be exactly the command built with all of them: the same options, arguments,
// subcommands and help. A command missing from the table, or a module that adds a subcommand to
// another module's command (as `sessions search` and `session transcript` do) without being listed
// for it, shows here as a difference.

import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES, commandWord, modulesFor } from '../../src/cli/command-table.js';
import { buildProgram } from '../../src/cli/main.js';

/** A command's help and that of each subcommand below it, by path. */
function helpTree(command: Command, path = command.name()): Map<string, string> {
  const tree = new Map([[path, command.helpInformation()]]);
  for (const sub of command.commands) {
    for (const [subPath, help] of helpTree(sub, `${path} ${sub.name()}`)) tree.set(subPath, help);
  }
  return tree;
}

describe('loading only the command that was asked for', () => {
  it('builds every command alone exactly as with all the others', async () => {
    const full = await buildProgram();
    const names = full.commands.map((command) => command.name());
    expect(names.length).toBeGreaterThan(40);
    for (const name of names) {
      const alone = await buildProgram(false, [name, '--json']);
      const command = alone.commands.find((c) => c.name() === name);
      expect(command, `sdd ${name} alone`).toBeDefined();
      const fullCommand = full.commands.find((c) => c.name() === name)!;
      expect(helpTree(command!), `sdd ${name}`).toEqual(helpTree(fullCommand));
    }
  });

  it('lists in the table no command that does not exist', async () => {
    const names = new Set((await buildProgram()).commands.map((command) => command.name()));
    for (const module of COMMAND_MODULES) for (const name of module.names) expect(names).toContain(name);
  });

  it('finds the command word past the global options, and their values', () => {
    expect(commandWord(['ready', '--json'])).toBe('ready');
    expect(commandWord(['--json', '--as', 'ana', '-C', 'app', 'show', 'sd-1'])).toBe('show');
    expect(commandWord(['--dir=app', '--debug', 'list'])).toBe('list');
    // a value that looks like a command is the option's, not the command
    expect(commandWord(['--as', 'ready', 'list'])).toBe('list');
    expect(commandWord(['--json'])).toBeNull();
    expect(commandWord([])).toBeNull();
    expect(commandWord(['--', 'ready'])).toBeNull();
  });

  it('loads every module for help, no command or an unknown word, and none for --version', () => {
    expect(modulesFor([])).toBe(COMMAND_MODULES);
    expect(modulesFor(['--help'])).toBe(COMMAND_MODULES);
    expect(modulesFor(['help', 'ready'])).toBe(COMMAND_MODULES);
    expect(modulesFor(['redy'])).toBe(COMMAND_MODULES);
    expect(modulesFor(['--version'])).toEqual([]);
    expect(modulesFor(['ready', '--help']).length).toBe(1);
    expect(modulesFor(['session', 'show', 'x']).length).toBe(2);
  });
});
