// sdd prime: what `sdd mcp` gives an agent, as one short text for agents without MCP (an agent's
// start hook prints it into its context): the current task, its feature and epic, the ready work,
// and the commands that report back.

import type { Command } from 'commander';
import type { ReadyEntry } from '../../core/ready.js';
import type { ItemDetails, Service } from '../../core/service.js';
import type { Item } from '../../core/types.js';
import { specDirOf } from '../../sessions/task-prompt.js';
import { readContextFiles } from '../../specs/context-files.js';
import { isUntouchedTemplate } from '../../specs/context-templates.js';
import { contextPath } from '../../specs/team-context.js';
import { action } from '../context.js';

interface Prime {
  actor: string;
  sessionId: string | null;
  task: ItemDetails | null;
  feature: Item | null;
  epic: Item | null;
  specDir: string | null;
  context: string[];
  ready: ReadyEntry[];
  commands: { command: string; what: string }[];
}

export function registerPrime(program: Command): void {
  program
    .command('prime')
    .description(
      'print the current task, its feature and epic, ready work and how to report back, for an agent without MCP',
    )
    .option('--task <ref>', 'the task (default: the one `sdd run` works on, $SDD_ITEM_ID)')
    .option('--limit <n>', 'how many ready tasks to list', '5')
    .addHelpText(
      'after',
      "\nFor an agent's start hook, e.g. a Claude Code SessionStart hook running `sdd prime`.",
    )
    .action(
      action(async (ctx, options: { task?: string; limit: string }) => {
        const project = await ctx.project();
        const service = await ctx.service();
        const ref = options.task ?? process.env.SDD_ITEM_ID ?? null;
        const limit = Number(options.limit);
        const task = ref ? await service.getItem(ref) : null;
        const [feature, epic] = await Promise.all([
          containerOf(service, task, 'feature'),
          task?.epic ? service.getItem(task.epic.id).then((d) => d.item) : null,
        ]);
        const prime: Prime = {
          actor: ctx.actor(),
          sessionId: process.env.SDD_SESSION_ID ?? null,
          task,
          feature,
          epic,
          specDir: specDirOf(project.root, epic),
          context: (await readContextFiles(project.root))
            .filter((doc) => !isUntouchedTemplate(doc.name, doc.text))
            .map((doc) => contextPath(doc.name)),
          ready: await service.ready({ limit }),
          commands: reportCommands(task?.item ?? null, feature, process.env.SDD_SESSION_ID !== undefined),
        };
        ctx.print(prime, formatPrime);
      }),
    );
}

async function containerOf(
  service: Service,
  task: ItemDetails | null,
  type: 'feature',
): Promise<Item | null> {
  if (!task?.parent || task.parent.type !== type) return null;
  return (await service.getItem(task.parent.id)).item;
}

function reportCommands(task: Item | null, feature: Item | null, inSession: boolean) {
  const id = task?.id ?? '<task>';
  const commands = [
    { command: `sdd note ${id} "..."`, what: 'progress, findings, hand-over' },
    { command: `sdd done ${id}`, what: 'the task is done' },
    {
      command: `sdd create "..."${feature ? ` --parent ${feature.id}` : ''} then sdd dep add <new> ${id} --type discovered-from`,
      what: 'work you discovered',
    },
    { command: 'sdd ready', what: 'what to do next' },
  ];
  if (inSession) {
    commands.push(
      { command: 'sdd mark "..."', what: 'mark a moment in the recording' },
      { command: 'sdd checkpoint -m "..."', what: 'checkpoint the files' },
    );
  }
  return commands;
}

const name = (item: { id: string; source?: Item['source']; ref?: string | null }) => {
  const ref = item.ref ?? item.source?.ref ?? null;
  return ref && ref !== item.id ? `${item.id} (${ref})` : item.id;
};

function formatPrime(p: Prime): string {
  const lines = [`sdd: acting as ${p.actor}${p.sessionId ? ` in session ${p.sessionId}` : ''}.`];
  if (p.task) {
    const { item } = p.task;
    lines.push(`Task ${name(item)} P${item.priority} [${item.status}]: ${item.title}`);
    if (item.description) lines.push(`  ${item.description.split('\n').join('\n  ')}`);
    if (p.task.blockedBy.length > 0) {
      lines.push(`  after: ${p.task.blockedBy.map((b) => `${name(b)} [${b.status}]`).join(', ')}`);
    }
    for (const note of item.notes.slice(-3)) lines.push(`  note ${note.author}: ${note.text}`);
  } else lines.push('No current task (pass --task, or run inside `sdd run`).');
  if (p.feature) lines.push(`Feature ${name(p.feature)}: ${p.feature.title}`);
  if (p.epic)
    lines.push(`Epic ${name(p.epic)}: ${p.epic.title}${p.specDir ? ` (specs in ${p.specDir}/)` : ''}`);
  if (p.context.length > 0) lines.push(`Team context: ${p.context.join(', ')}`);
  lines.push(p.ready.length > 0 ? 'Ready work:' : 'Ready work: none.');
  for (const entry of p.ready)
    lines.push(`- ${name(entry.item)} P${entry.item.priority} ${entry.item.title}`);
  lines.push('Report back:');
  for (const c of p.commands) lines.push(`  ${c.command}  # ${c.what}`);
  return lines.join('\n');
}
