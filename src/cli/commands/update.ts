// sdd update and sdd note: change an item's fields, or add to its log.

import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { collectLabels, parsePriority } from '../arguments.js';
import { action } from '../context.js';
import { checkTaskBoxes, syncTaskBoxes } from '../task-box-sync.js';

interface UpdateOptions {
  title?: string;
  description?: string;
  status?: string;
  priority?: number;
  addLabel?: string[];
  removeLabel?: string[];
  parent?: string;
  force?: boolean;
}

export function registerUpdate(program: Command): void {
  program
    .command('update')
    .description('change an item: title, description, status, priority, labels, parent')
    .argument('<ref>', 'the item')
    .option('--title <title>', 'new title')
    .option('-d, --description <text>', 'new description')
    .option('-s, --status <status>', 'open, in_progress, done or cancelled')
    .option('--priority <n>', '0 (most urgent) to 4; P1 works too', parsePriority)
    .option('--add-label <labels>', 'add labels, comma-separated or repeated', collectLabels)
    .option('--remove-label <labels>', 'remove labels', collectLabels)
    .option('-p, --parent <ref>', 'move under this item ("" to detach)')
    .option('-f, --force', 'change the status even though someone else holds the task')
    .action(
      action(async (ctx, ref: string, options: UpdateOptions) => {
        const change = {
          ...(options.title !== undefined && { title: options.title }),
          ...(options.description !== undefined && { description: options.description }),
          ...(options.status !== undefined && { status: options.status as never }),
          ...(options.priority !== undefined && { priority: options.priority }),
          ...(options.addLabel !== undefined && { addLabels: options.addLabel }),
          ...(options.removeLabel !== undefined && { removeLabels: options.removeLabel }),
          ...(options.parent !== undefined && { parent: options.parent === '' ? null : options.parent }),
        };
        const force = options.force ? { force: true } : {};
        if (Object.keys(change).length === 0) {
          throw new InvalidInputError(
            'Nothing to change: give at least one of --title, --description, --status, --priority, --add-label, --remove-label, --parent.',
          );
        }
        const service = await ctx.service();
        if (change.status === 'done' || change.status === 'open') {
          // a box the change would set in tasks.md must be this task's, or nothing changes
          const { item } = await service.getItem(ref);
          await checkTaskBoxes((await ctx.project()).root, [item], change.status === 'done');
        }
        const result = await service.updateItem(ref, { ...change, ...force }, ctx.actor());
        const files = change.status ? await syncTaskBoxes((await ctx.project()).root, [result.item]) : [];
        ctx.print({ ...result, filesChanged: files }, (r) => {
          const lines = [`Updated ${r.item.id}: ${r.item.title} (${r.item.status})`];
          for (const s of r.settled) lines.push(`  ${s.type} ${s.id} is now ${s.status}`);
          for (const f of r.filesChanged) lines.push(`  updated its box in ${f}`);
          return lines.join('\n');
        });
      }),
    );

  program
    .command('note')
    .description("add a note to an item's log (kept with author and time, never rewritten)")
    .argument('<ref>', 'the item')
    .argument('<text...>', 'the note')
    .action(
      action(async (ctx, ref: string, words: string[]) => {
        const item = await (await ctx.service()).addNote(ref, words.join(' '), ctx.actor());
        ctx.print(
          item,
          (i) => `Noted on ${i.id} (${i.notes.length} note${i.notes.length === 1 ? '' : 's'}).`,
        );
      }),
    );
}
