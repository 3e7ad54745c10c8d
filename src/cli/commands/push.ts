// sdd push: moves an embedded project (.sdd/local/db.json) onto its team server, once: items,
// dependencies, notes, statuses and the next id travel in one request; the local file stays as it is.

import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import type { Command } from 'commander';
import { AlreadyExistsError, InvalidInputError, SddError, UnauthenticatedError } from '../../core/errors.js';
import { LowdbStore } from '../../store/lowdb-store.js';
import { action } from '../context.js';
import { tokenFor } from '../credentials.js';
import { plural } from '../format.js';
import { databasePath } from '../project.js';

export function registerPush(program: Command): void {
  program
    .command('push')
    .description(
      "move this project's embedded tracker onto its team server, once (it refuses a server project that already has items)",
    )
    .addHelpText(
      'after',
      '\nLink the server first with `sdd remote set <url>`. The embedded database is left as it is, as a copy; later commands use the server.',
    )
    .action(
      action(async (ctx) => {
        const project = await ctx.project();
        const { server, projectId, idPrefix } = project.config;
        const dbPath = databasePath(project.root);
        const shownPath = relative(ctx.cwd, dbPath) || dbPath;
        if (!server) {
          throw new InvalidInputError(
            'This project has no team server yet: `sdd remote set <url>` links one, then `sdd push`.',
          );
        }
        const data = existsSync(dbPath) ? await new LowdbStore(dbPath, idPrefix).read() : null;
        if (data === null || data.items.length === 0) {
          ctx.print(
            { server, items: 0, dependencies: 0, pushed: false },
            () => `Nothing to push: ${shownPath} holds no items.`,
          );
          return;
        }
        const token = await tokenFor(server);
        if (!token) {
          throw new UnauthenticatedError(
            `No token for ${server} is kept here: run \`sdd login ${server}\` first (or set SDD_TOKEN).`,
          );
        }
        const { ServerClient } = await import('../../client/server-client.js');
        const counts = await new ServerClient({ url: server, token })
          .pushProject(projectId, data)
          .catch((error: unknown) => {
            throw error instanceof SddError && error.code === 'ALREADY_EXISTS'
              ? new AlreadyExistsError(
                  `Project ${projectId} on ${server} already has items; push moves a project onto a server once and never overwrites one. Nothing changed, here or there (the embedded database is still ${shownPath}).`,
                  error.details,
                )
              : error;
          });
        ctx.print({ server, ...counts, pushed: true, kept: dbPath }, (r) =>
          [
            `Pushed ${plural(r.items, 'item')} and ${r.dependencies === 1 ? '1 dependency' : `${r.dependencies} dependencies`} to ${server}; sdd commands here now use it.`,
            `  The embedded database is kept as it was, in ${shownPath}; sdd no longer reads it while the server is linked.`,
          ].join('\n'),
        );
      }),
    );
}
