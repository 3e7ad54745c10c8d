// Tools for the work itself: what is ready, one item, claiming, and moving a task's status.

import { z } from 'zod';
import { STATUSES } from '../../core/types.js';
import { refOrTask, tool } from '../tool.js';
import { detailsText, line, nameOf } from '../views.js';

const ref = z
  .string({ error: 'ref is text: an item id like sd-12 or a task ref like T012' })
  .min(1, 'ref may not be empty; omit it for your current task')
  .max(300);

export const readyTool = tool({
  name: 'ready',
  description: 'Ready work: open, unblocked, unclaimed tasks, most urgent first.',
  input: {
    epic: ref.optional().describe('only below this epic'),
    limit: z
      .number({ error: 'limit is a number from 1 to 50' })
      .int('limit is a whole number from 1 to 50')
      .min(1, 'limit is at least 1')
      .max(50, 'limit is at most 50')
      .optional(),
  },
  async run({ service }, { epic, limit }) {
    const entries = await service.ready({ ...(epic && { epic }), limit: limit ?? 10 });
    if (entries.length === 0) return 'No ready work.';
    return entries.map((e) => `${line(e.item)}${e.parent ? ` — in ${nameOf(e.parent)}` : ''}`).join('\n');
  },
});

export const showTool = tool({
  name: 'show',
  description: 'Show an item (default: your task): status, claim, parents, blockers, notes.',
  input: { ref: ref.optional() },
  async run(context, input) {
    return detailsText(await context.service.getItem(refOrTask(context, input.ref)));
  },
});

export const claimTool = tool({
  name: 'claim',
  description: 'Claim a task (default: the first ready one); renews a claim you hold.',
  input: { ref: ref.optional() },
  async run({ service, actor }, input) {
    const result = input.ref ? await service.claim(input.ref, actor) : await service.claimNext(actor);
    const how = result.renewed ? 'Renewed' : 'Claimed';
    return `${how} ${line(result.item)} until ${result.claim.expiresAt}.`;
  },
});

export const statusTool = tool({
  name: 'status',
  description: "Set a task's status (default: your task); in_progress claims it, done closes it.",
  input: {
    status: z.enum(STATUSES, { error: `status is one of ${STATUSES.join(', ')}` }),
    ref: ref.optional(),
  },
  async run(context, input) {
    const target = refOrTask(context, input.ref);
    const { service, actor } = context;
    // In progress means held by someone: the tracker's way there is a claim.
    if (input.status === 'in_progress') {
      const claimed = await service.claim(target, actor);
      return `${line(claimed.item)}, claimed until ${claimed.claim.expiresAt}.`;
    }
    const result =
      input.status === 'done'
        ? await service.done(target, actor)
        : await service.updateItem(target, { status: input.status }, actor);
    const settled = result.settled.map((s) => `\n${line(s)}`).join('');
    return `${line(result.item)}${settled ? `\nAlso settled:${settled}` : ''}`;
  },
});

export { ref as refInput };
