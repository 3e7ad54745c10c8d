// Which module registers which top-level command. A run loads only the modules of the command it was
// given (`sdd ready` does not load the server, the GitHub client or the recorders: some 60 ms of
// module loading at each start, paid by every agent hook and every `sdd ready` an agent runs);
// --help, no command, or a word that is no command load them all, so help and suggestions are whole.
// test/cli/command-table.test.ts checks that each command built alone is the one built with all.

import type { Command } from 'commander';
import { VERSION } from './version.js';

export type Register = (program: Command) => void;

interface CommandModule {
  /** Top-level commands the module registers, or adds subcommands to. */
  names: readonly string[];
  load(): Promise<Register>;
}

/** In the order of `sdd --help`. */
export const COMMAND_MODULES: readonly CommandModule[] = [
  { names: ['init'], load: async () => (await import('./commands/init.js')).registerInit },
  { names: ['import'], load: async () => (await import('./commands/import.js')).registerImport },
  {
    names: ['specify', 'clarify', 'plan', 'tasks', 'implement', 'epic', 'artifact', 'decisions'],
    load: async () => (await import('./commands/phases.js')).registerPhaseCommands,
  },
  { names: ['context'], load: async () => (await import('./commands/context.js')).registerContext },
  { names: ['create'], load: async () => (await import('./commands/create.js')).registerCreate },
  { names: ['show'], load: async () => (await import('./commands/show.js')).registerShow },
  { names: ['list', 'tree'], load: async () => (await import('./commands/list.js')).registerList },
  { names: ['update', 'note'], load: async () => (await import('./commands/update.js')).registerUpdate },
  { names: ['dep'], load: async () => (await import('./commands/dep.js')).registerDep },
  { names: ['ready', 'blocked'], load: async () => (await import('./commands/work.js')).registerWork },
  {
    names: ['claim', 'release', 'done'],
    load: async () => (await import('./commands/claim.js')).registerClaim,
  },
  { names: ['run', 'shell'], load: async () => (await import('./commands/run.js')).registerRun },
  { names: ['fork'], load: async () => (await import('./commands/fork.js')).registerFork },
  {
    names: ['sessions', 'session', 'mark', 'checkpoint'],
    load: async () => (await import('./commands/sessions.js')).registerSessions,
  },
  {
    names: ['sessions'],
    load: async () => (await import('./commands/session-search.js')).registerSessionSearch,
  },
  { names: ['sync'], load: async () => (await import('./commands/sync.js')).registerSync },
  {
    names: ['replay', 'diff', 'restore'],
    load: async () => (await import('./commands/replay.js')).registerReplay,
  },
  { names: ['watch'], load: async () => (await import('./commands/watch.js')).registerWatch },
  { names: ['worktrees'], load: async () => (await import('./commands/worktrees.js')).registerWorktrees },
  // `session transcript` is the agents module's
  {
    names: ['agents', 'config', 'session'],
    load: async () => (await import('./commands/agents.js')).registerAgents,
  },
  { names: ['hook'], load: async () => (await import('./commands/hook.js')).registerHook },
  { names: ['demo'], load: async () => (await import('./commands/demo.js')).registerDemo },
  { names: ['server'], load: async () => (await import('./commands/server.js')).registerServer },
  { names: ['login', 'logout'], load: async () => (await import('./commands/login.js')).registerLogin },
  { names: ['remote'], load: async () => (await import('./commands/remote.js')).registerRemote },
  { names: ['push'], load: async () => (await import('./commands/push.js')).registerPush },
  { names: ['github'], load: async () => (await import('./commands/github.js')).registerGithub },
  {
    names: ['mcp'],
    load: async () => {
      const { registerMcp } = await import('./commands/mcp.js');
      return (program) => registerMcp(program, VERSION);
    },
  },
  { names: ['prime'], load: async () => (await import('./commands/prime.js')).registerPrime },
];

/** Global options that take a value: the word after them is not the command. */
const VALUE_OPTIONS = new Set(['--as', '-C', '--dir']);

/**
 * The command word of a command line (`sdd --as me -C app ready --json` → "ready"), or null when
 * there is none or it comes after something this cannot read past (`--dir=x` forms are read).
 */
export function commandWord(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return null;
    if (!word.startsWith('-')) return word;
    if (VALUE_OPTIONS.has(word)) i++;
  }
  return null;
}

/** The modules to load for a command line: those of its command word, none for --version, or all. */
export function modulesFor(argv: readonly string[]): readonly CommandModule[] {
  const word = commandWord(argv);
  if (word === null) return argv.includes('--version') || argv.includes('-V') ? [] : COMMAND_MODULES;
  const chosen = COMMAND_MODULES.filter((module) => module.names.includes(word));
  return chosen.length > 0 ? chosen : COMMAND_MODULES;
}
