// sdd remote set|show|unset: links this project to a team server (its URL in the committed
// .sdd/config.json, never a token), creating the project there when the token may.

import { basename } from 'node:path';
import type { Command } from 'commander';
import { ForbiddenError, SddError, UnauthenticatedError } from '../../core/errors.js';
import type { ProjectRecord } from '../../core/team-store.js';
import { action } from '../context.js';
import { credentialsPath, normalizeServerUrl, readCredentials, tokenFor } from '../credentials.js';
import { databasePath, saveConfig } from '../project.js';

export function registerRemote(program: Command): void {
  const remote = program
    .command('remote')
    .description("this project's team server: `sdd remote set <url>`, `sdd remote show`, `sdd remote unset`");

  remote
    .command('set')
    .description(
      'link this project to a team server (the URL goes in .sdd/config.json; commit it so that every clone follows), creating the project there if it is new',
    )
    .argument('<url>', 'the server, as `sdd server` printed it')
    .option('--name <name>', 'what the server calls a project it creates (default: this folder name)')
    .addHelpText(
      'after',
      '\nLog in first (`sdd login <url>`). Creating a project takes an admin token or a member token not bound to a project.\nItems already in the embedded database stay there: `sdd push` moves them to the server, once.',
    )
    .action(
      action(async (ctx, rawUrl: string, options: { name?: string }) => {
        const url = normalizeServerUrl(rawUrl);
        const project = await ctx.project();
        const { projectId, idPrefix } = project.config;
        const token = await tokenFor(url);
        if (!token) {
          throw new UnauthenticatedError(
            `No token for ${url} is kept here: run \`sdd login ${url}\` first (or set SDD_TOKEN); nothing changed.`,
          );
        }
        const { ServerClient } = await import('../../client/server-client.js');
        const client = new ServerClient({ url, token });
        let record = await client.getProject(projectId);
        const created = record === null;
        if (record === null) {
          record = await client
            .createProject({ id: projectId, name: options.name?.trim() || basename(project.root), idPrefix })
            .catch((error: unknown) => {
              throw error instanceof SddError && error.code === 'FORBIDDEN'
                ? new ForbiddenError(
                    `${url} has no project ${projectId} yet, and ${error.message.replace(/\.$/, '')}. Ask someone with such a token to run \`sdd remote set ${url}\` in this project once; nothing changed.`,
                  )
                : error;
            });
        }
        if (record.idPrefix !== idPrefix && !ctx.json) {
          process.stderr.write(
            `sdd: note: on ${url} this project's ids start with ${record.idPrefix}-, not ${idPrefix}- as in .sdd/config.json; new items follow the server.\n`,
          );
        }
        const previous = project.config.server;
        await saveConfig(project.root, { ...project.config, server: url });
        ctx.print({ server: url, projectId, created, previous, project: record }, (r) =>
          formatLinked(r, project.root),
        );
      }),
    );

  remote
    .command('show')
    .description("the project's server, its project id there, and which token this user would send")
    .action(
      action(async (ctx) => {
        const { config } = await ctx.project();
        const token = config.server ? await tokenSource(config.server) : null;
        ctx.print({ server: config.server, projectId: config.projectId, token }, (r) =>
          r.server
            ? [
                `server: ${r.server}`,
                `project: ${r.projectId}`,
                `token: ${r.token ? r.token.from : `none: run \`sdd login ${r.server}\``}`,
              ].join('\n')
            : `No server: the tracker is the embedded one in ${databasePath('.')}; \`sdd remote set <url>\` links one.`,
        );
      }),
    );

  remote
    .command('unset')
    .description('unlink the server: commands use the embedded database again (the server keeps its copy)')
    .action(
      action(async (ctx) => {
        const project = await ctx.project();
        const was = project.config.server;
        if (was) await saveConfig(project.root, { ...project.config, server: null });
        ctx.print({ server: null, was }, (r) =>
          r.was
            ? `Unlinked ${r.was}: commands use the embedded database in ${databasePath('.')} again; the server keeps its copy of the project.`
            : 'No server was linked; nothing changed.',
        );
      }),
    );
}

function formatLinked(
  r: { server: string; created: boolean; previous: string | null; project: ProjectRecord },
  root: string,
): string {
  const lines = [
    r.created
      ? `Created project "${r.project.name}" (${r.project.id}) on ${r.server} and linked this clone to it.`
      : `Linked this clone to project "${r.project.name}" (${r.project.id}) on ${r.server}.`,
    '  Commit .sdd/config.json so that every clone uses the server.',
  ];
  if (r.previous && r.previous !== r.server) lines.push(`  It was linked to ${r.previous} before.`);
  if (r.created) {
    lines.push(
      `  Items in ${databasePath(root)} are not on the server: \`sdd push\` moves them there, once.`,
    );
  }
  return lines.join('\n');
}

async function tokenSource(url: string): Promise<{ from: string; user?: string } | null> {
  if (process.env.SDD_TOKEN?.trim()) return { from: 'SDD_TOKEN' };
  const saved = (await readCredentials()).servers[url];
  return saved ? { from: `${credentialsPath()} (${saved.user})`, user: saved.user } : null;
}
