// sdd context edit <name>: the document in $VISUAL or $EDITOR, saved when the editor ends well; with a
// team server, pushed as the next version (refused, file kept, when a teammate saved one first).

import { spawnSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { SddError } from '../../core/errors.js';
import { checkContextName, contextFile, readContextFile } from '../../specs/context-files.js';
import { CONTEXT_TEMPLATES } from '../../specs/context-templates.js';
import { contextPath } from '../../specs/team-context.js';
import { action } from '../context.js';
import { type SyncEntry, syncContext, writeAtomic } from '../context-sync.js';
import { serverContextLog } from '../team-context.js';

export function registerContextEdit(context: Command): void {
  context
    .command('edit')
    .description(
      'edit a document in $VISUAL or $EDITOR (a new one starts from its template); with a team server the edit is pushed as a new version',
    )
    .argument('<name>', 'constitution, product, tech-stack, workflow, or a new name')
    .action(
      action(async (ctx, name: string) => {
        const bare = checkContextName(name);
        const project = await ctx.project();
        const log = await serverContextLog(project);
        const actor = ctx.actor();
        // Start from the team's latest: editing an old text would only end in a conflict. Offline,
        // the edit is made here and pushed by the next session or `sdd context sync`.
        let online = log !== null;
        if (log) {
          const entries = await syncContext(project, log, actor, { names: [bare] }).catch(offline);
          if (entries) refuseConflict(entries);
          else online = false;
        }
        const before = await readContextFile(project.root, bare);
        const start = before ?? CONTEXT_TEMPLATES[bare] ?? `# ${bare}\n\n`;
        // The editor works on a copy: a crash or a failed exit leaves the document as it was.
        const draft = join(project.root, '.sdd', 'local', 'context-edit', `${bare}.md`);
        await writeAtomic(draft, start);
        try {
          runEditor(draft);
          const edited = await readFile(draft, 'utf8');
          const changed = edited !== before;
          if (changed) await writeAtomic(contextFile(project.root, bare), edited);
          let version: number | null = null;
          if (log && online && changed) {
            const entries = await syncContext(project, log, actor, { names: [bare] }).catch(offline);
            const entry = entries?.[0];
            if (entry?.action === 'refused') {
              throw new SddError(
                'FORBIDDEN',
                `Your edit is saved in ${contextPath(bare)} but not on the server: ${entry.note}`,
              );
            }
            if (entry?.action === 'conflict') {
              throw new SddError(
                'VERSION_CONFLICT',
                `Your edit is saved in ${contextPath(bare)} but not on the server: ${entry.note}`,
                { name: bare },
              );
            }
            version = entry?.version ?? null;
          }
          const pending = log !== null && changed && version === null;
          ctx.print({ name: bare, file: contextPath(bare), changed, version, pending }, (r) =>
            !r.changed
              ? `${r.file}: unchanged.`
              : `Saved ${r.file}${r.version !== null ? `; version ${r.version} on the team server` : r.pending ? '; not on the team server yet (the next session or `sdd context sync` sends it)' : ''}.`,
          );
        } finally {
          await rm(draft, { force: true });
        }
      }),
    );
}

/** An unreachable server is no reason to refuse an edit: null, and a warning. */
function offline(error: unknown): null {
  if ((error as { code?: string }).code !== 'UNREACHABLE') throw error;
  process.stderr.write(`sdd: ${(error as Error).message} The edit stays in .sdd/context/ for now.\n`);
  return null;
}

function refuseConflict(entries: SyncEntry[]): void {
  const conflict = entries.find((e) => e.action === 'conflict');
  if (conflict) {
    throw new SddError('VERSION_CONFLICT', `Context ${conflict.name}: ${conflict.note}`, {
      name: conflict.name,
    });
  }
}

/** $VISUAL, else $EDITOR, else vi; a command line such as `code --wait` works too. */
function runEditor(file: string): void {
  const editor = process.env.VISUAL?.trim() || process.env.EDITOR?.trim() || 'vi';
  const result = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'sdd-editor', file], { stdio: 'inherit' });
  if (result.error || result.status !== 0) {
    throw new SddError(
      'INVALID_INPUT',
      `The editor (${editor}) ${result.error ? `could not start: ${result.error.message}` : `exited with ${result.status ?? result.signal}`}; nothing was saved. Set $VISUAL or $EDITOR to the editor you use.`,
    );
  }
}
