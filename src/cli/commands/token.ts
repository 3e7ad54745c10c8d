// sdd server token create|list|revoke: the team server's access tokens, made on its store directly
// (no server needs to run). A token is shown once, when it is made; the store keeps only its hash.

import type { Command } from 'commander';
import { newToken } from '../../auth/tokens.js';
import { InvalidInputError } from '../../core/errors.js';
import {
  PROJECT_ID_PATTERN,
  ROLES,
  type Role,
  type TeamStore,
  type TokenRecord,
} from '../../core/team-store.js';
import { terminalSafe } from '../../core/terminal-text.js';
import { openTeamStore, type TeamStoreLocation } from '../../server/open-team-store.js';
import { action, type CommandContext } from '../context.js';

/** What `token list` and --json show of a token: everything but the hash of its secret. */
export type PublicToken = Omit<TokenRecord, 'secretHash'>;

function publicToken({ secretHash: _hash, ...rest }: TokenRecord): PublicToken {
  return rest;
}

/** --data and --database belong to `sdd server`; commander hands them to its subcommands too. */
async function withTeamStore<T>(ctx: CommandContext, use: (team: TeamStore) => Promise<T>): Promise<T> {
  const { data, database } = ctx.options as TeamStoreLocation;
  const { team } = await openTeamStore({ data, database });
  try {
    return await use(team);
  } finally {
    await team.close();
  }
}

function parseRole(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) {
    throw new InvalidInputError(
      `--role "${value}" is not a role; one of admin (everything), member (read and change, create projects), agent (read, work on tasks), viewer (read only).`,
    );
  }
  return value as Role;
}

function parseProjectId(value: string): string {
  if (!new RegExp(PROJECT_ID_PATTERN).test(value)) {
    throw new InvalidInputError(
      `--project "${value}" is not a project id (the projectId in a clone's .sdd/config.json).`,
    );
  }
  return value;
}

const STORE_HELP =
  '\nThe store is the one `sdd server` uses: give the same --data DIR or --database URL, before or after the subcommand.';

export function registerToken(server: Command): void {
  const token = server
    .command('token')
    .description('manage access tokens on the server store: create, list, revoke')
    .addHelpText('after', STORE_HELP);

  token
    .command('create')
    .description('make a token for a person or an agent and print it (once: only its hash is kept)')
    .requiredOption('--user <name>', 'who holds it; members and admins may act under other names with --as')
    .option(
      '--role <role>',
      'admin, member, agent (works on tasks only) or viewer (reads only)',
      parseRole,
      'member',
    )
    .option('--project <id>', 'the one project it may reach (default: all of them)', parseProjectId)
    .addHelpText('after', STORE_HELP)
    .action(
      action(async (ctx, options: { user: string; role: Role; project?: string }) => {
        const user = options.user.trim();
        if (user === '') throw new InvalidInputError('--user needs a name.');
        const made = newToken({
          user,
          role: options.role,
          project: options.project ?? null,
          createdBy: ctx.actor(),
        });
        const missingProject = await withTeamStore(ctx, async (team) => {
          await team.addToken(made.record);
          return options.project !== undefined && (await team.getProject(options.project)) === null;
        });
        if (missingProject && !ctx.json) {
          process.stderr.write(
            `${terminalSafe(`sdd: note: there is no project ${options.project} on this server yet; the token reaches it once an admin's \`sdd remote set\` creates it.`)}\n`,
          );
        }
        ctx.print({ ...publicToken(made.record), token: made.token }, (t) =>
          [
            `Created ${t.role === 'admin' || t.role === 'agent' ? 'an' : 'a'} ${t.role} token for ${t.user}${t.project ? ` (project ${t.project} only)` : ''}:`,
            '',
            `  ${t.token}`,
            '',
            'It is shown this once; the server keeps only its hash. Its holder logs in with',
            `  sdd login <server url> --token ${t.token}`,
            `Revoke it with \`sdd server token revoke ${t.id}\`.`,
          ].join('\n'),
        );
      }),
    );

  token
    .command('list')
    .description('every token: id, user, role, project, when made, whether revoked (never a secret)')
    .addHelpText('after', STORE_HELP)
    .action(
      action(async (ctx) => {
        const tokens = (await withTeamStore(ctx, (team) => team.listTokens())).map(publicToken);
        ctx.print(tokens, formatTokens);
      }),
    );

  token
    .command('revoke')
    .description('revoke a token at once: the server refuses it from its next request on')
    .argument('<id>', 'the token id (`token list` shows it; in sdd_<id>_<secret> it is the <id>)')
    .addHelpText('after', STORE_HELP)
    .action(
      action(async (ctx, id: string) => {
        const revoked = await withTeamStore(ctx, (team) => team.revokeToken(id, new Date().toISOString()));
        ctx.print(
          publicToken(revoked),
          (t) => `Revoked token ${t.id} of ${t.user} (${t.role}) at ${t.revokedAt}.`,
        );
      }),
    );
}

function formatTokens(tokens: PublicToken[]): string {
  if (tokens.length === 0) return 'No tokens yet; `sdd server` makes an admin token on its first start.';
  const rows = tokens.map((t) => [
    t.id,
    t.user,
    t.role,
    t.project ?? '(all)',
    t.createdAt.slice(0, 16).replace('T', ' '),
    t.revokedAt ? `revoked ${t.revokedAt.slice(0, 16).replace('T', ' ')}` : 'active',
  ]);
  const header = ['ID', 'USER', 'ROLE', 'PROJECT', 'CREATED', 'STATE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
