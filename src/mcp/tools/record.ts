// Tools that add to the tracker while working: a note, a decision, a task discovered on the way.

import { z } from 'zod';
import { refOrTask, tool } from '../tool.js';
import { line } from '../views.js';
import { refInput } from './work.js';

const text = (field: string, what: string) =>
  z.string({ error: `${field} is text: ${what}` }).max(10_000, `${field} is at most 10,000 characters`);

export const noteTool = tool({
  name: 'note',
  description: 'Add a note to an item (default: your task): progress, findings, hand-over.',
  input: { text: text('text', 'the note'), ref: refInput.optional() },
  async run(context, input) {
    const item = await context.service.addNote(refOrTask(context, input.ref), input.text, context.actor);
    return `Noted on ${line(item)} (${item.notes.length} notes).`;
  },
});

export const decideTool = tool({
  name: 'decide',
  description: 'Record a decision you made: question, options seen, choice, why.',
  input: {
    question: text('question', 'what had to be decided'),
    choice: text('choice', 'what you chose'),
    options: z
      .array(text('each option', 'one alternative'), { error: 'options is a list of text' })
      .max(50, 'at most 50 options')
      .optional(),
    rationale: text('rationale', 'why').optional(),
    ref: refInput.optional().describe('item it is about (default: your task)'),
  },
  async run(context, input) {
    const { service, session, actor } = context;
    const item = refOrTask(context, input.ref);
    // A recording that has just ended has no clock: the decision is kept with its session, without the moment.
    const sessionTime = session ? await session.clock().catch(() => null) : null;
    const decision = await service.recordDecision(
      {
        item,
        question: input.question,
        choice: input.choice,
        options: input.options ?? [],
        rationale: input.rationale ?? '',
        source: 'mcp',
        sessionId: session?.id ?? null,
        sessionTime,
      },
      actor,
    );
    // The log answers an equal decision (item, question, choice) with the one it holds: only one this
    // call stored goes into the session's events.
    const stored =
      session !== null && decision.sessionId === session.id && decision.sessionTime === sessionTime;
    if (session && stored && sessionTime !== null) {
      await session.decision({
        decisionId: decision.id,
        question: decision.question,
        choice: decision.choice,
        time: sessionTime,
      });
    }
    const already = session !== null && !stored;
    return already
      ? `Already recorded as ${decision.id} (${decision.at.slice(0, 16)}, ${decision.actor}).`
      : `Decision ${decision.id} on ${decision.itemId}: ${decision.choice}`;
  },
});

export const fileTaskTool = tool({
  name: 'file_task',
  description: 'File a task you discovered while working: linked to your task, in its feature.',
  input: {
    title: text('title', 'one line naming the work'),
    description: text('description', 'what and why').optional(),
    priority: z
      .number({ error: 'priority is a whole number from 0 (most urgent) to 4' })
      .int('priority is a whole number from 0 to 4')
      .min(0, 'priority is 0 (most urgent) to 4')
      .max(4, 'priority is 0 (most urgent) to 4')
      .optional(),
    from: refInput.optional().describe('the task it came from (default: your task)'),
  },
  async run(context, input) {
    const { service, actor } = context;
    const from = (await service.getItem(refOrTask(context, input.from, 'from'))).item;
    const created = await service.createItem(
      {
        title: input.title,
        ...(input.description !== undefined && { description: input.description }),
        ...(input.priority !== undefined && { priority: input.priority }),
        ...(from.parent && { parent: from.parent }),
      },
      actor,
    );
    await service.addDependency(created.id, from.id, 'discovered-from', actor);
    return `Filed ${line(created)}, discovered from ${from.id}.`;
  },
});
