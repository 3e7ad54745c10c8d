// The sdd command line: builds the commands, runs one, and turns errors into a message on stderr
// and an exit code (a stack trace only with --debug).

import { createInterface } from 'node:readline/promises';
import { Command, CommanderError } from 'commander';
import { SddError } from '../core/errors.js';
import { terminalSafe } from '../core/terminal-text.js';
import { findOrphanedSessions } from '../sessions/orphans.js';
import { COMMAND_MODULES, modulesFor } from './command-table.js';
import type { GlobalOptions } from './context.js';
import { guardOutput, unguardOutput } from './output.js';
import { findProjectRoot, openProject, openService } from './project.js';
import { VERSION } from './version.js';

/**
 * The program with the commands of this command line (all of them without one: see command-table.ts).
 * `argv` is what follows `sdd`; without it every command is registered.
 */
export async function buildProgram(json = false, argv?: readonly string[]): Promise<Command> {
  const registers = await Promise.all(
    (argv ? modulesFor(argv) : COMMAND_MODULES).map((module) => module.load()),
  );
  const program = new Command('sdd')
    .description(
      'Spec-driven development for teams: a tracker of epics, features and tasks that serves ready work to people and coding agents.',
    )
    .version(VERSION, '-V, --version')
    .option('--json', 'print data as JSON (errors too, on stderr)')
    .option('--as <name>', 'act as this person or agent (default: $SDD_ACTOR, else git user.name)')
    .option('-C, --dir <path>', 'run as if started in this folder')
    .option('--debug', 'show stack traces of errors')
    .showHelpAfterError(json ? false : '(run with --help for usage)')
    .configureOutput({
      // with --json, a usage error is JSON on stderr like every other error
      outputError: (message, write) =>
        write(
          json
            ? `${JSON.stringify({ error: { code: 'INVALID_INPUT', message: message.trim() } })}\n`
            : message,
        ),
    })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .exitOverride();
  for (const register of registers) register(program);
  program.hook('preAction', keepSessionOutput);
  program.hook('preAction', offerRecovery);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Commands that run a session in this terminal: they handle their own output's end. */
const SESSION_COMMANDS = new Set(['run', 'shell', 'fork', 'demo']);

function keepSessionOutput(_program: Command, command: Command): void {
  if (SESSION_COMMANDS.has(command.name()) && command.parent?.parent == null) unguardOutput();
}

/** Commands that deal with sessions themselves do not need the reminder. */
const QUIET_COMMANDS = new Set(['recover', 'mark', 'checkpoint', 'hook', 'init', 'demo', 'mcp', 'prime']);

/**
 * After a crash, any later command offers to finish the interrupted sessions: it asks at a terminal,
 * and elsewhere says how (on stderr, so no output of the command changes).
 */
async function offerRecovery(_program: Command, command: Command): Promise<void> {
  const options = command.optsWithGlobals() as GlobalOptions;
  // Inside a session the asking terminal belongs to an agent: never put a question to it.
  if (options.json || QUIET_COMMANDS.has(command.name()) || process.env.SDD_SESSION_ID) return;
  const root = findProjectRoot(options.dir ?? process.cwd());
  if (!root) return;
  const orphans = await findOrphanedSessions(root).catch(() => []);
  if (orphans.length === 0) return;
  const names = orphans.map((o) => `${o.id} (${o.itemRef ?? o.itemId})`).join(', ');
  const one = orphans.length === 1;
  const what = `sdd: ${one ? 'session' : 'sessions'} ${names} ${one ? 'was' : 'were'} interrupted`;
  if (process.stdin.isTTY && process.stderr.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(
      `${what}. Recover ${one ? 'it' : 'them'} now (final checkpoint, status "interrupted")? [Y/n] `,
    );
    rl.close();
    if (/^(y(es)?)?$/i.test(answer.trim())) {
      const { recoverSession } = await import('../sessions/recover.js');
      const service = await openService(await openProject(root));
      for (const record of orphans) await recoverSession(root, record, service);
      process.stderr.write(`sdd: recovered ${orphans.length} session(s).\n`);
      return;
    }
  }
  process.stderr.write(`${what}; \`sdd sessions recover\` finishes ${one ? 'it' : 'them'}.\n`);
}

export async function main(argv: string[]): Promise<number> {
  guardOutput();
  const program = await buildProgram(argv.includes('--json'), argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    // `sdd run` passes on its program's exit code
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return reportError(error, argv);
  }
}

function reportError(error: unknown, argv: string[]): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message; help and --version end with exit code 0
    return error.exitCode === 0 ? 0 : 2;
  }
  const json = argv.includes('--json');
  if (error instanceof SddError) {
    process.stderr.write(
      json ? `${JSON.stringify({ error: error.toJSON() })}\n` : `sdd: ${terminalSafe(error.message)}\n`,
    );
    if (argv.includes('--debug')) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    json
      ? `${JSON.stringify({ error: { code: 'INTERNAL', message } })}\n`
      : `sdd: unexpected error: ${terminalSafe(message)}\n${argv.includes('--debug') ? `${(error as Error).stack}\n` : '(run again with --debug for details)\n'}`,
  );
  return 1;
}
