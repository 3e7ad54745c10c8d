// sdd list and sdd tree: items as a table, and as the epic -> feature -> task tree with progress.

import type { Command } from 'commander';
import type { TreeNode } from '../../core/service.js';
import type { Item } from '../../core/types.js';
import { parseLimit } from '../arguments.js';
import { action } from '../context.js';
import { columnWidths, itemLine, localRef, priorityLabel, progressLabel, statusMark } from '../format.js';

interface ListOptions {
  type?: string;
  status?: string;
  label?: string;
  epic?: string;
  parent?: string;
  limit?: number;
}

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list items, filtered')
    .option('-t, --type <type>', 'epic, feature, task, bug or chore')
    .option('-s, --status <status>', 'open, in_progress, done or cancelled')
    .option('-l, --label <label>', 'only items with this label')
    .option('-e, --epic <ref>', 'only items below this epic')
    .option('-p, --parent <ref>', 'only direct children of this item')
    .option('-n, --limit <n>', 'at most this many', parseLimit)
    .action(
      action(async (ctx, options: ListOptions) => {
        const items = await (await ctx.service()).listItems(options as never);
        ctx.print(items, formatList);
      }),
    );

  program
    .command('tree')
    .description('show the epic -> feature -> task tree with progress')
    .argument('[ref]', 'start at this item instead of every root')
    .action(
      action(async (ctx, ref: string | undefined) => {
        const nodes = await (await ctx.service()).tree(ref);
        ctx.print(nodes, formatTree);
      }),
    );
}

function formatList(items: Item[]): string {
  if (items.length === 0) return 'No items match.';
  const widths = columnWidths(items);
  return items.map((i) => itemLine(i, widths, true)).join('\n');
}

function formatTree(roots: TreeNode[]): string {
  if (roots.length === 0) return 'No items yet: `sdd import specs/NNN-slug/` or `sdd create "title"`.';
  const lines: string[] = [];
  const walk = (node: TreeNode, prefix: string, last: boolean, top: boolean) => {
    const { item } = node;
    const branch = top ? '' : last ? '└─ ' : '├─ ';
    const ref = localRef(item) && item.type === 'task' ? `${localRef(item)} ` : '';
    const progress = node.progress ? `  [${progressLabel(node.progress)}]` : '';
    const kind = item.type === 'task' ? '' : `${item.type}: `;
    lines.push(
      `${prefix}${branch}${statusMark(item.status)} ${item.id} ${ref}${kind}${item.title} (${priorityLabel(item.priority)})${progress}`,
    );
    const childPrefix = top ? prefix : prefix + (last ? '   ' : '│  ');
    node.children.forEach((child, i) => {
      walk(child, childPrefix, i === node.children.length - 1, false);
    });
  };
  roots.forEach((root, i) => {
    walk(root, '', i === roots.length - 1, true);
  });
  return lines.join('\n');
}
