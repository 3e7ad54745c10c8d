// What the agent is asked in each phase of the spec workflow, after spec-kit's own commands
// (/speckit.specify, /clarify, /plan, /tasks), with sdd's paths and ways to record decisions.
// The same text is printed by `sdd <phase> --here` for an agent that is already running.

import type { PhaseName } from '../../core/phases.js';
import { TASKS_TEMPLATE } from './tasks-template.js';

export interface PhasePromptInput {
  phase: PhaseName;
  epicKey: string;
  epicTitle: string;
  epicId: string;
  /** The epic's folder, relative to the project root: specs/001-photo-albums. */
  specDir: string;
  /** What the person asked for (`sdd specify "..."`); for implement, the ready tasks, one a line. */
  description: string;
  /** The project's context documents, already made into a prompt section (may be empty). */
  contextSection: string;
}

export function phasePrompt(input: PhasePromptInput): string {
  const { specDir } = input;
  const head = [`# ${title(input.phase)}: ${input.epicTitle} (${input.epicKey})`, ''];
  const body = BODIES[input.phase](input);
  const tail = [
    '',
    `The epic is sdd item ${input.epicId}; its folder is ${specDir}/. Write only the documents of this phase.`,
    'Each save of a file is recorded as a version; decisions are kept with the moment they were made.',
    'When the documents are written, say so and exit: sdd links what appeared to the epic.',
  ];
  const context = input.contextSection.trim() === '' ? [] : ['', input.contextSection.trim()];
  return `${[...head, ...body, ...context, ...tail].join('\n')}\n`;
}

function title(phase: PhasePromptInput['phase']): string {
  return { specify: 'Specify', clarify: 'Clarify', plan: 'Plan', tasks: 'Tasks', implement: 'Implement' }[
    phase
  ];
}

const DECISION_HOW = [
  'Record each decision as it is made: with the sdd MCP server, call its decision tool (question,',
  'options, choice, rationale); otherwise write it in the Clarifications section as above.',
];

const BODIES: Record<PhasePromptInput['phase'], (input: PhasePromptInput) => string[]> = {
  specify: ({ specDir, description }) => [
    'Write the feature specification with the person, from this description:',
    '',
    `> ${description.replace(/\n/g, '\n> ')}`,
    '',
    `1. ${specDir}/spec.md holds spec-kit's template: fill it in, keeping its sections and order.`,
    '2. Focus on WHAT users need and WHY, never HOW (no languages, frameworks or APIs).',
    '3. User stories get priorities (P1, P2...), each one independently testable.',
    '4. Functional requirements are testable (FR-001...); success criteria measurable (SC-001...).',
    '5. Where the description leaves something open that matters, make an informed guess, or (at most',
    '   three times) mark it `[NEEDS CLARIFICATION: the question]` for `sdd clarify`.',
  ],
  clarify: ({ specDir }) => [
    `Resolve the open questions of ${specDir}/spec.md with the person, one question at a time.`,
    '',
    '1. Find every `[NEEDS CLARIFICATION: ...]` marker, and any other gap that would change the design.',
    '2. Ask at most five questions, each with two to five options (or a short free answer), and a',
    '   recommendation.',
    "3. After each answer, add it under `## Clarifications` in spec.md (spec-kit's format; create the",
    "   section after the overview if it is missing, and today's session heading once):",
    '',
    '   ## Clarifications',
    '   ### Session YYYY-MM-DD',
    '   - Q: <question> → A: <the answer chosen>',
    '',
    '   A question the person wants to leave for later is answered `→ A: Deferred`.',
    '4. Update the requirement the answer touches and remove its marker.',
    '',
    ...DECISION_HOW,
  ],
  plan: ({ specDir }) => [
    `Plan how ${specDir}/spec.md gets built. ${specDir}/plan.md holds spec-kit's plan template.`,
    '',
    '1. Fill in the Technical Context (mark unknowns NEEDS CLARIFICATION) and the Constitution Check',
    '   against the project context.',
    `2. Phase 0: ${specDir}/research.md — for each unknown: Decision, Rationale, Alternatives considered.`,
    `3. Phase 1: ${specDir}/data-model.md (entities, fields, relationships, validation, state changes),`,
    `   ${specDir}/contracts/ (one contract per user action: OpenAPI, GraphQL, CLI...), and`,
    `   ${specDir}/quickstart.md (how to run and check the feature end to end).`,
    '4. Stop after the design: tasks.md is the next phase (`sdd tasks`).',
    '',
    ...DECISION_HOW,
  ],
  tasks: ({ specDir }) => [
    `Break the plan into tasks: write ${specDir}/tasks.md from plan.md, spec.md and, where present,`,
    'research.md, data-model.md and contracts/.',
    '',
    '1. One phase per user story, in priority order, after Setup and Foundational; Polish last.',
    '2. Every task is a line `- [ ] T001 [P] [US1] Description with the exact file path`.',
    '   [P] marks tasks that can run in parallel (different files, nothing pending).',
    '3. Each story phase can be tested on its own; say how under its heading.',
    '',
    'sdd imports the file into the tracker when the session ends (`sdd import` does the same).',
    'The template:',
    '',
    TASKS_TEMPLATE.trimEnd(),
  ],
  implement: ({ specDir, epicKey, description }) => [
    `Implement the ready tasks of ${specDir}/tasks.md, one at a time, by spec.md, plan.md and the design documents.`,
    '',
    description.trim() === '' ? 'No task is ready now (`sdd blocked` says what waits).' : 'Ready now:',
    ...(description.trim() === '' ? [] : ['', description.trimEnd()]),
    '',
    `1. \`sdd claim <task>\` before you start one (\`sdd ready --epic ${epicKey}\` lists what is ready).`,
    '2. Do it: tests first where the plan says so, only the files the task names.',
    '3. `sdd done <task>` when it works; the next ones may become ready.',
    '4. Stop when none is ready, or when one cannot be done: `sdd release <task>` and say why.',
  ],
};
