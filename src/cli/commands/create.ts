// sdd create: add an epic, feature, task, bug or chore by hand.

import type { Command } from 'commander';
import { collectLabels, parsePriority } from '../arguments.js';
import { action } from '../context.js';
import { localRef } from '../format.js';

interface CreateOptions {
  type: string;
  parent?: string;
  priority?: number;
  description?: string;
  label?: string[];
}

export function registerCreate(program: Command): void {
  program
    .command('create')
    .description('create an item (a task unless --type says otherwise)')
    .argument('<title>', 'one-line title')
    .option('-t, --type <type>', 'epic, feature, task, bug or chore', 'task')
    .option('-p, --parent <ref>', 'the epic or feature it belongs to')
    .option(
      '--priority <n>',
      "0 (most urgent) to 4; P1 works too; default: the parent's, else 2",
      parsePriority,
    )
    .option('-d, --description <text>', 'longer description')
    .option('-l, --label <labels>', 'labels, comma-separated or repeated', collectLabels)
    .action(
      action(async (ctx, title: string, options: CreateOptions) => {
        const service = await ctx.service();
        const item = await service.createItem(
          {
            type: options.type as never,
            title,
            ...(options.parent !== undefined && { parent: options.parent }),
            ...(options.priority !== undefined && { priority: options.priority }),
            ...(options.description !== undefined && { description: options.description }),
            ...(options.label !== undefined && { labels: options.label }),
          },
          ctx.actor(),
        );
        ctx.print(
          item,
          (i) => `Created ${i.type} ${i.id}${localRef(i) ? ` (${localRef(i)})` : ''}: ${i.title}`,
        );
      }),
    );
}
