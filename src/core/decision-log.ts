// The rules of the decision log: what a decision must hold, the dedupe on item + question + choice
// (so re-reading a Clarifications section, or an agent repeating itself, never doubles an entry), and
// the filters by epic, item, session and words.

import { checkActor } from './claims.js';
import type { Decision, DecisionFilter, DecisionInput, DecisionSource } from './decisions.js';
import { InvalidInputError } from './errors.js';
import type { TrackerIndex } from './graph.js';
import { resolveRef } from './refs.js';
import type { Transaction } from './transaction.js';
import type { TrackerData } from './types.js';

const SOURCES: readonly DecisionSource[] = ['mcp', 'clarifications', 'cli'];
/** A question, a choice or an option is a sentence or a paragraph, not a document. */
const MAX_TEXT = 10_000;
const MAX_OPTIONS = 50;

export function decisionsOf(data: TrackerData): Decision[] {
  return data.decisions ?? [];
}

export function recordDecision(tx: Transaction, input: DecisionInput, actor: string): Decision {
  const question = requiredText(input.question, 'question', 'the question that came up');
  const choice = requiredText(input.choice, 'choice', 'what was chosen');
  const options = checkOptions(input.options ?? []);
  const rationale = optionalText(input.rationale ?? '', 'rationale');
  const source = checkSource(input.source ?? 'cli');
  const sessionTime = checkSessionTime(input.sessionTime ?? null);
  const sessionId = input.sessionId?.trim() || null;
  if (sessionTime !== null && sessionId === null) {
    throw new InvalidInputError('A decision with a session time needs the session it was made in.');
  }
  const who = checkActor(actor);
  const item = tx.resolve(input.item);
  tx.data.decisions ??= [];
  const decisions = tx.data.decisions;
  const same = decisions.find(
    (d) => d.itemId === item.id && sameText(d.question, question) && sameText(d.choice, choice),
  );
  if (same) return same;
  const decision: Decision = {
    id: `D${decisions.length + 1}`,
    itemId: item.id,
    question,
    options,
    choice,
    rationale,
    actor: who,
    sessionId,
    sessionTime,
    source,
    at: tx.nowIso,
  };
  decisions.push(decision);
  return decision;
}

export function listDecisions(index: TrackerIndex, filter: DecisionFilter): Decision[] {
  if (filter.limit !== undefined && (!Number.isInteger(filter.limit) || filter.limit < 1)) {
    throw new InvalidInputError(`--limit must be a whole number of at least 1; got ${filter.limit}.`);
  }
  let within: Set<string> | null = null;
  if (filter.epic) {
    const epic = resolveRef(index, filter.epic);
    within = new Set([epic.id, ...index.descendantsOf(epic.id).map((i) => i.id)]);
  }
  const itemId = filter.item ? resolveRef(index, filter.item).id : null;
  const words = (filter.grep ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const found = decisionsOf(index.data).filter(
    (d) =>
      (within === null || within.has(d.itemId)) &&
      (itemId === null || d.itemId === itemId) &&
      (filter.sessionId === undefined || d.sessionId === filter.sessionId) &&
      (words.length === 0 || containsAll(d, words)),
  );
  return filter.limit === undefined ? found : found.slice(0, filter.limit);
}

function containsAll(decision: Decision, words: string[]): boolean {
  const text = [decision.question, ...decision.options, decision.choice, decision.rationale]
    .join('\n')
    .toLowerCase();
  return words.every((word) => text.includes(word));
}

/** Equal once blanks are folded: a re-wrapped Clarifications line is the same decision. */
function sameText(a: string, b: string): boolean {
  return a.replace(/\s+/g, ' ') === b.replace(/\s+/g, ' ');
}

function requiredText(value: unknown, field: string, what: string): string {
  const clean = optionalText(value, field);
  if (clean === '') throw new InvalidInputError(`A decision needs a ${field} (${what}); it was blank.`);
  return clean;
}

function optionalText(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new InvalidInputError(`A decision's ${field} must be text.`);
  const clean = value.trim();
  if (clean.length > MAX_TEXT) {
    throw new InvalidInputError(
      `A decision's ${field} is ${clean.length} characters; keep it under ${MAX_TEXT} and put the rest in the spec.`,
    );
  }
  return clean;
}

function checkOptions(options: unknown): string[] {
  if (!Array.isArray(options)) throw new InvalidInputError("A decision's options must be a list of text.");
  if (options.length > MAX_OPTIONS) {
    throw new InvalidInputError(`A decision may list at most ${MAX_OPTIONS} options; got ${options.length}.`);
  }
  return options.map((option) => optionalText(option, 'option')).filter((option) => option !== '');
}

function checkSource(source: string): DecisionSource {
  if (!SOURCES.includes(source as DecisionSource)) {
    throw new InvalidInputError(`Unknown decision source "${source}"; use one of ${SOURCES.join(', ')}.`);
  }
  return source as DecisionSource;
}

function checkSessionTime(time: number | null): number | null {
  if (time === null) return null;
  if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) {
    throw new InvalidInputError(
      `A session time is seconds since the session began (0 or more); got ${time}.`,
    );
  }
  return time;
}
