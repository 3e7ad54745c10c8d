// sdd context import: spec-kit's constitution, Kiro's steering files and Conductor's context as
// .sdd/context/ documents. All is checked before anything is written; a document that holds a
// person's own text is kept unless --force (then the old text is backed up first).

import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { contextFile, readContextFile } from '../../specs/context-files.js';
import { CONTEXT_SOURCES, type ContextSource, readContextSources } from '../../specs/context-import.js';
import { isUntouchedTemplate } from '../../specs/context-templates.js';
import { contextPath } from '../../specs/team-context.js';
import { action } from '../context.js';
import { syncContext, writeAtomic } from '../context-sync.js';
import { serverContextLog } from '../team-context.js';

type ImportAction = 'created' | 'replaced' | 'unchanged' | 'kept';

interface ImportRow {
  name: string;
  file: string;
  from: string;
  action: ImportAction;
}

const LABELS: Record<ContextSource, string> = {
  speckit: 'spec-kit (.specify/memory/constitution.md)',
  kiro: 'Kiro steering (.kiro/steering/*.md)',
  conductor: 'Conductor (conductor/*.md, conductor/code_styleguides/)',
};

export function registerContextImport(context: Command): void {
  context
    .command('import')
    .description(
      'bring in the context of spec-kit, Kiro steering (its inclusion: front matter is kept) or Conductor; a document with your own text is kept unless --force',
    )
    .option('--from <tool>', `only one tool: ${CONTEXT_SOURCES.join(', ')} (default: every one found)`)
    .option('--dry-run', 'say what would be written, write nothing')
    .option('--force', 'replace documents that hold your own text (the old text is backed up in .sdd/local/)')
    .action(
      action(async (ctx, options: { from?: string; dryRun?: boolean; force?: boolean }) => {
        const from = sourceOf(options.from);
        const project = await ctx.project();
        const plan = await readContextSources(project.root, from);
        for (const w of plan.warnings) process.stderr.write(`${w.file}:${w.line}: warning: ${w.problem}\n`);
        if (plan.documents.length === 0) {
          throw new InvalidInputError(
            `Found no context to import from ${from ? LABELS[from] : Object.values(LABELS).join(', ')}.`,
          );
        }
        refuseClashes(plan.documents);
        const rows: ImportRow[] = [];
        for (const doc of plan.documents) {
          const existing = await readContextFile(project.root, doc.name);
          let how: ImportAction;
          if (existing === null) how = 'created';
          else if (existing === doc.text) how = 'unchanged';
          else if (isUntouchedTemplate(doc.name, existing) || options.force) how = 'replaced';
          else how = 'kept';
          rows.push({ name: doc.name, file: contextPath(doc.name), from: doc.from, action: how });
        }
        if (!options.dryRun) {
          for (const [i, doc] of plan.documents.entries()) {
            const row = rows[i]!;
            if (row.action === 'created' || row.action === 'replaced') {
              const existing = await readContextFile(project.root, doc.name);
              if (existing !== null && !isUntouchedTemplate(doc.name, existing)) {
                const backup = join(
                  project.root,
                  '.sdd',
                  'local',
                  'context-backup',
                  `${doc.name}-${Date.now()}.md`,
                );
                await writeAtomic(backup, existing);
              }
              await writeAtomic(contextFile(project.root, doc.name), doc.text);
            }
          }
          const written = rows
            .filter((r) => r.action === 'created' || r.action === 'replaced')
            .map((r) => r.name);
          const log = written.length > 0 ? await serverContextLog(project) : null;
          if (log) await syncContext(project, log, ctx.actor(), { names: written });
        }
        ctx.print({ dryRun: options.dryRun ?? false, documents: rows, warnings: plan.warnings }, (r) =>
          [
            ...r.documents.map((d) => `${d.file.padEnd(36)} ${describe(d.action, r.dryRun)} from ${d.from}`),
            ...(r.documents.some((d) => d.action === 'kept')
              ? ['Documents marked "kept" hold your own text; --force replaces them (backing them up).']
              : []),
          ].join('\n'),
        );
      }),
    );
}

function describe(how: ImportAction, dryRun: boolean): string {
  const would = dryRun ? 'would be ' : '';
  if (how === 'kept') return 'kept (your own text)';
  if (how === 'unchanged') return 'unchanged';
  return `${would}${how}`;
}

function sourceOf(value: string | undefined): ContextSource | undefined {
  if (value === undefined) return undefined;
  const name = value.toLowerCase().replace(/[^a-z]/g, '');
  if ((CONTEXT_SOURCES as readonly string[]).includes(name)) return name as ContextSource;
  throw new InvalidInputError(`--from takes ${CONTEXT_SOURCES.join(', ')}; got "${value}".`);
}

/** Two tools giving the same document: which one wins is the person's call, not sdd's. */
function refuseClashes(documents: { name: string; from: string }[]): void {
  const seen = new Map<string, string>();
  const clashes: string[] = [];
  for (const doc of documents) {
    const first = seen.get(doc.name);
    if (first) clashes.push(`${doc.name} (${first} and ${doc.from})`);
    else seen.set(doc.name, doc.from);
  }
  if (clashes.length > 0) {
    throw new InvalidInputError(
      `Two tools give the same document: ${clashes.join('; ')}; nothing was written. Choose one with --from.`,
      { clashes },
    );
  }
}
