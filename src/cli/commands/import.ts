// sdd import: a spec-kit task list becomes an epic, its phases features, its lines tasks.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ParseProblem } from '../../core/errors.js';
import type { ImportResult, Service } from '../../core/service.js';
import type { TaskListDocument } from '../../core/task-list.js';
import { terminalSafe } from '../../core/terminal-text.js';
import { action } from '../context.js';
import { plural, summaryLabel } from '../format.js';
import type { Project } from '../project.js';
import {
  boxesOf,
  readTaskBoxBases,
  recordTaskBoxes,
  trackerIsShared,
  withLastSeenBoxes,
} from '../task-box-base.js';

function formatProblem(p: ParseProblem): string {
  return `${p.file}:${p.line}: ${p.problem}`;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      "import spec-kit's tasks.md: an epic, a feature per phase, a task per line, with spec-kit's ordering; re-run after edits",
    )
    .argument('<path>', 'a spec folder (specs/004-team-notes/) or a tasks.md file')
    .action(
      action(async (ctx, target: string) => {
        const project = await ctx.project();
        const { document, result } = await importTaskListFile(
          await ctx.service(),
          project,
          resolve(ctx.cwd, target),
          ctx.actor(),
        );
        const warnings = document.warnings ?? [];
        // file:line like the parser's errors, on stderr so that stdout stays the result
        if (!ctx.json) for (const w of warnings) process.stderr.write(`${terminalSafe(formatProblem(w))}\n`);
        ctx.print({ ...result, warnings }, formatImport);
      }),
    );
}

/**
 * Reads the task list at `path`, sends it with this clone's merge base of each box, and once the
 * import has succeeded records the file's boxes as the new base (a failed import records nothing).
 */
export async function importTaskListFile(
  service: Service,
  project: Project,
  path: string,
  actor: string,
): Promise<{ document: TaskListDocument; result: ImportResult }> {
  const { readTaskListFile } = await import('../../specs/speckit-epic.js');
  const document = await readTaskListFile(project.root, path);
  const bases = await readTaskBoxBases(project.root);
  const result = await service.importTaskList(
    withLastSeenBoxes(document, bases, trackerIsShared(project)),
    actor,
  );
  const boxes = [{ file: document.file, boxes: boxesOf(document), replace: true }];
  await recordTaskBoxes(project.root, boxes, () => undefined); // a damaged file was reported on reading
  return { document, result };
}

function formatImport(r: ImportResult): string {
  const lines = [`Imported ${r.epic.ref ?? r.epic.id} as epic ${r.epic.id} "${r.epic.title}":`];
  lines.push(
    `  ${plural(r.created.length, 'item')} created, ${r.updated.length} updated, ${r.unchanged} unchanged, ${r.removed.length} removed`,
  );
  lines.push(`  dependencies: ${r.dependencies.added} added, ${r.dependencies.removed} removed`);
  for (const c of r.statusChanges) lines.push(`  ${summaryLabel(c.item)}: ${c.from} → ${c.to}`);
  for (const gone of r.removed) {
    lines.push(
      `  ${summaryLabel(gone)} is no longer in the file${gone.status === 'cancelled' ? ': cancelled' : ` (kept as ${gone.status})`}`,
    );
  }
  if (r.created.length + r.updated.length + r.removed.length === 0) lines.push('  nothing changed');
  lines.push('Next: `sdd tree` to see it, `sdd ready` for what can start now.');
  return lines.join('\n');
}
