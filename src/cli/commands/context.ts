// sdd context: the team's shared documents in .sdd/context/ (constitution, product, tech-stack,
// workflow, ...) that every agent prompt includes. show, edit, import, log, sync.

import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import type { ContextVersion, ContextVersionInfo } from '../../core/context-log.js';
import { NotFoundError, SddError } from '../../core/errors.js';
import { checkContextName, readContextFile, readContextFiles } from '../../specs/context-files.js';
import { isUntouchedTemplate } from '../../specs/context-templates.js';
import { contextPath, withInclusion } from '../../specs/team-context.js';
import { action, type CommandContext } from '../context.js';
import { readSyncState, type SyncEntry, syncContext, textHash } from '../context-sync.js';
import { serverContextLog } from '../team-context.js';
import { registerContextEdit } from './context-edit.js';
import { registerContextImport } from './context-import.js';

export function registerContext(program: Command): void {
  const context = program
    .command('context')
    .description(
      "the team's shared documents every agent prompt includes (.sdd/context/*.md); with a team server, shared and versioned",
    );

  context
    .command('show')
    .description(
      "list the context documents, or print one (the local file; --server for the server's version)",
    )
    .argument(
      '[name]',
      'a document: constitution, product, tech-stack, workflow, or any other in .sdd/context/',
    )
    .option('--server', "the team server's latest version instead of the local file")
    .option(
      '--rev <n>',
      'a given version from the team server: 1, 2, 3... (see `sdd context log <name>`)',
      versionNumber,
    )
    .action(
      action(async (ctx, name: string | undefined, options: { server?: boolean; rev?: number }) => {
        if (name === undefined) return listDocuments(ctx);
        const bare = checkContextName(name);
        if (options.server || options.rev !== undefined) return showServerVersion(ctx, bare, options.rev);
        const project = await ctx.project();
        const text = await readContextFile(project.root, bare);
        if (text === null) {
          throw new NotFoundError(
            `No context document "${bare}" in ${contextPath(bare)}; \`sdd context show\` lists them, \`sdd context edit ${bare}\` writes it.`,
          );
        }
        const doc = withInclusion({ name: bare, text });
        ctx.print({ ...doc, file: contextPath(bare) }, (d) => d.text);
      }),
    );

  registerContextEdit(context);
  registerContextImport(context);

  context
    .command('log')
    .description('the versions of a document with their authors (from the team server, else from git)')
    .argument('<name>', 'the document')
    .action(
      action(async (ctx, name: string) => {
        const bare = checkContextName(name);
        const project = await ctx.project();
        const log = await serverContextLog(project);
        const versions: ContextVersionInfo[] = log
          ? await log.contextHistory(bare)
          : gitVersions(project.root, bare);
        if (versions.length === 0) {
          throw new NotFoundError(
            `${contextPath(bare)} has no committed versions yet (and no team server is linked).`,
          );
        }
        ctx.print(versions, (list) =>
          list.map((v) => `v${v.version}  ${v.at.slice(0, 16).replace('T', ' ')}  ${v.author}`).join('\n'),
        );
      }),
    );

  context
    .command('sync')
    .description(
      "bring .sdd/context/ and the team server in step: pull teammates' versions, push local edits (sessions do it at start)",
    )
    .argument('[names...]', 'only these documents')
    .option('--mine', 'for a document changed on both sides: save the local text as the next version')
    .option(
      '--theirs',
      "for a document changed on both sides: take the server's (the local text is backed up)",
    )
    .action(
      action(async (ctx, names: string[], options: { mine?: boolean; theirs?: boolean }) => {
        if (options.mine && options.theirs) {
          throw new SddError('INVALID_INPUT', '--mine and --theirs pick opposite sides; give one.');
        }
        const project = await ctx.project();
        const log = await serverContextLog(project);
        if (!log) {
          throw new SddError(
            'INVALID_INPUT',
            'This project has no team server: its context is the files in .sdd/context/ (committed with git). `sdd remote set URL` links one.',
          );
        }
        const prefer = options.mine ? 'mine' : options.theirs ? 'theirs' : undefined;
        const entries = await syncContext(project, log, ctx.actor(), {
          ...(names.length > 0 && { names: names.map(checkContextName) }),
          ...(prefer && { prefer }),
        });
        const missing = entries.filter((e) => e.action === 'missing').map((e) => e.name);
        if (missing.length > 0) {
          throw new NotFoundError(
            `No context document ${missing.join(', ')} here or on the server (\`sdd context show\` lists them).`,
          );
        }
        ctx.print(
          entries,
          (list) => list.map(syncLine).join('\n') || 'No context documents here or on the server.',
        );
        if (entries.some((e) => e.action === 'conflict')) process.exitCode = 13;
        else if (entries.some((e) => e.action === 'refused')) process.exitCode = 10;
      }),
    );
}

function versionNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new SddError('INVALID_INPUT', `--rev is a version: 1, 2, 3...; got "${value}".`);
  return n;
}

function syncLine(entry: SyncEntry): string {
  const version =
    entry.version === null ? '' : ` (version ${entry.version}${entry.author ? ` by ${entry.author}` : ''})`;
  const what = {
    pulled: "took the server's",
    pushed: 'saved yours on the server',
    unchanged: 'in step',
    conflict: 'CONFLICT',
    refused: 'not sent',
    missing: 'no such document',
    'local-only': "still sdd's template, kept here only",
  }[entry.action];
  return `${entry.name}: ${what}${version}${entry.note ? `: ${entry.note}` : ''}`;
}

async function listDocuments(ctx: CommandContext): Promise<void> {
  const project = await ctx.project();
  const state = await readSyncState(project);
  const docs = (await readContextFiles(project.root)).map((doc) => {
    const read = withInclusion(doc);
    const synced = state[doc.name];
    return {
      name: doc.name,
      file: contextPath(doc.name),
      inclusion: read.inclusion ?? 'always',
      ...(read.fileMatchPattern && { fileMatchPattern: read.fileMatchPattern }),
      template: isUntouchedTemplate(doc.name, doc.text),
      lines: doc.text.split('\n').length - (doc.text.endsWith('\n') ? 1 : 0),
      version: synced && synced.hash === textHash(doc.text) ? synced.version : null,
    };
  });
  ctx.print(docs, (list) => {
    if (list.length === 0)
      return 'No context documents: `sdd init` writes the templates, `sdd context import` brings existing ones.';
    return list
      .map((d) => {
        const notes = [
          d.template ? 'sdd template, not filled in: left out of prompts' : `${d.lines} lines`,
          d.inclusion === 'always'
            ? null
            : d.inclusion === 'manual'
              ? 'manual'
              : `for ${(d.fileMatchPattern ?? []).join(', ')}`,
          d.version === null ? null : `server version ${d.version}`,
        ].filter(Boolean);
        return `${d.name.padEnd(16)} ${d.file}  (${notes.join('; ')})`;
      })
      .join('\n');
  });
}

async function showServerVersion(ctx: CommandContext, name: string, version?: number): Promise<void> {
  const log = await serverContextLog(await ctx.project());
  if (!log) {
    throw new SddError(
      'INVALID_INPUT',
      'This project has no team server; `sdd context show NAME` prints the local file.',
    );
  }
  const found: ContextVersion = await log.getContext(name, version);
  ctx.print(found, (v) => v.text);
}

/** The commits that changed .sdd/context/<name>.md, oldest first, as versions 1, 2, 3... */
function gitVersions(root: string, name: string): ContextVersionInfo[] {
  const git = spawnSync('git', ['log', '--reverse', '--format=%an%x09%aI', '--', contextPath(name)], {
    cwd: root,
    encoding: 'utf8',
  });
  if (git.status !== 0) return [];
  return git.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const [author = '', at = ''] = line.split('\t');
      return { name, version: i + 1, author, at: new Date(at).toISOString() };
    });
}
