// sdd login and logout: keeping (and forgetting) this user's token for a team server. A token is
// checked with the server before it is kept, so a typo never lands in the credentials file.

import type { Command } from 'commander';
import { parseToken } from '../../auth/tokens.js';
import { InvalidInputError } from '../../core/errors.js';
import { action } from '../context.js';
import {
  credentialsPath,
  forgetCredential,
  normalizeServerUrl,
  readCredentials,
  saveCredential,
} from '../credentials.js';
import { findProjectRoot, openProject } from '../project.js';

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description(
      'check a token with a team server and keep it for this user (~/.config/sdd/credentials.json, mode 0600)',
    )
    .argument('<url>', 'the server, as `sdd server` printed it: http://host:4100')
    .option(
      '--token <token>',
      'the token (sdd_...); without it, read from standard input (not echoed at a terminal)',
    )
    .addHelpText(
      'after',
      '\nSDD_TOKEN, when set, is used instead of the saved token (for agents and CI). Tokens come from `sdd server token create`.',
    )
    .action(
      action(async (ctx, rawUrl: string, options: { token?: string }) => {
        const url = normalizeServerUrl(rawUrl);
        const token = (options.token ?? (await readSecret(`Token for ${url}: `))).trim();
        if (token === '') throw new InvalidInputError('No token given; nothing was saved.');
        if (!parseToken(token)) {
          throw new InvalidInputError(
            'That is not an sdd token (they look like sdd_<12 hex>_<43 characters>); nothing was saved.',
          );
        }
        const { ServerClient } = await import('../../client/server-client.js');
        const principal = await new ServerClient({ url, token }).whoami();
        await saveCredential(url, { token, user: principal.user, savedAt: new Date().toISOString() });
        const path = credentialsPath();
        ctx.print(
          {
            url,
            user: principal.user,
            role: principal.role,
            project: principal.project,
            tokenId: principal.tokenId,
            credentials: path,
          },
          (r) =>
            [
              `Logged in to ${r.url} as ${r.user} (${r.role} token${r.project ? ` for project ${r.project}` : ''}); the token is kept in ${r.credentials}.`,
              process.env.SDD_TOKEN?.trim()
                ? 'Note: SDD_TOKEN is set in this shell, and it goes first while it is.'
                : '',
              `Next, in a clone: \`sdd remote set ${r.url}\` links its project to this server.`,
            ]
              .filter((line) => line !== '')
              .join('\n'),
        );
      }),
    );

  program
    .command('logout')
    .description('forget the token kept for a team server (default: the server of this project)')
    .argument('[url]', 'the server; omit for the one in .sdd/config.json, or the only one kept')
    .action(
      action(async (ctx, rawUrl: string | undefined) => {
        const url = rawUrl !== undefined ? normalizeServerUrl(rawUrl) : await defaultServer(ctx.cwd);
        const forgotten = await forgetCredential(url);
        ctx.print({ url, forgotten }, (r) =>
          r.forgotten ? `Forgot the token for ${r.url}.` : `No token was kept for ${r.url}; nothing changed.`,
        );
      }),
    );
}

/** The project's server, else the one server a token is kept for. */
async function defaultServer(cwd: string): Promise<string> {
  if (findProjectRoot(cwd)) {
    const { config } = await openProject(cwd);
    if (config.server) return config.server;
  }
  const servers = Object.keys((await readCredentials()).servers);
  if (servers.length === 1) return servers[0]!;
  throw new InvalidInputError(
    servers.length === 0
      ? 'No token is kept for any server; nothing to forget.'
      : `Tokens are kept for ${servers.length} servers (${servers.join(', ')}); say which: \`sdd logout <url>\`.`,
  );
}

/**
 * A secret from standard input: at a terminal, a prompt on stderr and keys that are not echoed
 * (Ctrl-C gives up); from a pipe, its first line.
 */
async function readSecret(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    let text = '';
    for await (const chunk of input) text += chunk;
    return text.split(/\r?\n/)[0] ?? '';
  }
  // Echo goes off before the prompt shows: what is typed after it is never on the screen.
  input.setRawMode(true);
  process.stderr.write(prompt);
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (outcome: () => void) => {
      input.off('data', onKeys);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      outcome();
    };
    const onKeys = (keys: string) => {
      for (const key of keys) {
        if (key === '\r' || key === '\n') return finish(() => resolve(typed));
        if (key === '\u0003' || key === '\u0004')
          return finish(() => reject(new InvalidInputError('No token given; nothing was saved.')));
        if (key === '\u007f' || key === '\b') typed = typed.slice(0, -1);
        else typed += key;
      }
    };
    input.on('data', onKeys);
    input.resume();
  });
}
