// sdd server: runs the team server in this terminal, one line per request, until SIGTERM or Ctrl-C,
// which close it gracefully (requests in flight finish, then the store is closed).

import type { Command } from 'commander';
import { newToken } from '../../auth/tokens.js';
import { InvalidInputError } from '../../core/errors.js';
import type { TeamStore } from '../../core/team-store.js';
import { terminalSafe } from '../../core/terminal-text.js';
import { defaultDataDir, openTeamStore, type TeamStoreLocation } from '../../server/open-team-store.js';
import type { RunningServer } from '../../server/start.js';
import { action } from '../context.js';
import { registerToken } from './token.js';

interface ServerOptions extends TeamStoreLocation {
  port: number;
  host: string;
}

export function registerServer(program: Command): void {
  const server = program
    .command('server')
    .description(
      'run the team server: one tracker over HTTP for every clone and agent of a team (on its first start it prints an admin token, once)',
    )
    .option('--port <port>', 'TCP port to listen on (0: any free one)', parsePort, 4100)
    .option('--host <host>', 'address to listen on (0.0.0.0: every interface)', '127.0.0.1')
    .option('--data <dir>', `the data folder, one lowdb file per project (default: ${defaultDataDir()})`)
    .option('--database <url>', 'PostgreSQL instead of a data folder: postgres://user:password@host:port/db')
    .addHelpText(
      'after',
      '\nThen, on each clone: `sdd login <url> --token T`, then `sdd remote set <url>` (and `sdd push` to move an embedded project there).\nTokens: `sdd server token create|list|revoke` (no server needs to run).',
    )
    .action(
      action(async (_ctx, options: ServerOptions) => {
        await runServer(options);
      }),
    );
  registerToken(server);
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidInputError(`--port "${value}" is not a port number from 0 to 65535.`);
  }
  return port;
}

const say = (line: string) => process.stdout.write(`${terminalSafe(line)}\n`);

async function runServer(options: ServerOptions): Promise<void> {
  const { team, where } = await openTeamStore(options);
  let running: RunningServer;
  let firstToken: string | null;
  try {
    firstToken = await createFirstAdminToken(team);
    const { startServer } = await import('../../server/start.js');
    const { githubServerOptions } = await import('../github-env.js');
    running = await startServer({
      team,
      host: options.host,
      port: options.port,
      log: say,
      github: githubServerOptions(process.env),
    });
  } catch (error) {
    await team.close(); // once it runs, the server's close() closes the store
    throw error;
  }
  if (firstToken) printFirstToken(firstToken, running.url);
  say(`sdd server listening on ${running.url} (${where}); Ctrl-C or SIGTERM stops it.`);
  const signal = await stopSignal();
  say(`sdd server: ${signal}, finishing the requests under way...`);
  await running.close();
  say('sdd server stopped.');
}

/** On the very first start (no token at all), an admin token; shown once, only its hash is kept. */
async function createFirstAdminToken(team: TeamStore): Promise<string | null> {
  if ((await team.listTokens()).length > 0) return null;
  const { token, record } = newToken({
    user: 'admin',
    role: 'admin',
    project: null,
    createdBy: 'sdd server',
  });
  // Two servers starting at once on one database: only one of them adds it, and only that one shows it.
  return (await team.addFirstToken(record)) ? token : null;
}

function printFirstToken(token: string, url: string): void {
  say(
    [
      'First start: created an admin token. It is shown this once; the server keeps only its hash.',
      '',
      `  ${token}`,
      '',
      `Log in with it:       sdd login ${url} --token ${token}`,
      'Make one per person:  sdd server token create --user NAME [--role member|agent|viewer] [--project ID]',
      '',
    ].join('\n'),
  );
}

/**
 * Resolves with the name of the first SIGTERM or SIGINT. A second one while closing stops at once
 * (a person pressing Ctrl-C again means it): each write is one atomic step, so none is left half done.
 */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      process.once('SIGTERM', stopNow);
      process.once('SIGINT', stopNow);
      resolve(signal);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

function stopNow(signal: NodeJS.Signals): void {
  say(`sdd server: ${signal} again, stopping without waiting.`);
  process.exit(signal === 'SIGINT' ? 130 : 143);
}
