// Recognises spec-kit's phase headings ("## Phase 3: User Story 1 - Post a note (Priority: P1) 🎯 MVP")
// and reads their kind, key, priority and MVP mark.

import type { PhaseKind } from '../core/task-list.js';
import { normaliseNumber } from './task-line.js';

export interface Heading {
  level: number;
  text: string;
}

export interface PhaseHeading {
  kind: PhaseKind;
  /** The key before duplicates get -2, -3...: US1, setup, foundational, polish or a slug. */
  key: string;
  title: string;
  priority: number | null;
  mvp: boolean;
  /** For a user story phase, its number ("1"); else null. */
  story: string | null;
}

const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
// "Phase N" is the template's own placeholder, kept when someone fills the template in by hand. Old
// layouts number phases 0, 3.1 ... 3.15.
const PHASE_PREFIX = /^Phase\s+(?:\d+(?:\.\d+)*[a-z]?|N)\b\s*[:.\-–—]?\s*/i;
const NAMED_PHASE = /^(?:User Story\s+\d+|Setup|Foundational|Polish)\b/i;
// A story sub-heading ("#### User Story 2", "### US3: Export", "### Story 4 - Search").
const STORY_HEADING = /^(?:(?:User\s+)?Story\s+\d+|US-?\d+)\b/i;
// "(Priority: P1)", "Priority P1", "(P1)", "- P1" at the end.
const PRIORITY = /\bPriority\s*:?\s*P(\d+)\b|\(\s*P(\d+)\s*\)|[-–—]\s*P(\d+)\s*$/i;
const PRIORITY_TEXT =
  /\(\s*Priority\s*:?\s*P\d+\s*\)|[-–—,]?\s*\bPriority\s*:?\s*P\d+\b|\(\s*P\d+\s*\)|[-–—]\s*P\d+\s*$/gi;
// The MVP mark: 🎯 (with or without "MVP"), or MVP straight after the priority ("(Priority: P1) MVP",
// "(P1) (MVP)"). Elsewhere "MVP" is part of the title ("Reports (post-MVP)").
const TARGET_MVP = /🎯\s*(?:\(?MVP\b\)?)?/gu;
const PRIORITY_MVP =
  /(\(\s*Priority\s*:?\s*P\d+\s*\)|\bPriority\s*:?\s*P\d+\b|\(\s*P\d+\s*\))\s*[-–—,]?\s*\(?\s*MVP\s*\)?\s*$/i;
// Sections that only list what the tasks must achieve: a check box there without an id is not a task.
const CHECKLIST_WORDS =
  /\b(?:acceptance|criteria|checklists?|check-list|checkpoints?|validation|verification|definition of done|done when|sign-?off|quality gates?|success)\b/i;
// "## Task List" and the like: in old layouts its ### headings are the task groups.
const TASK_LIST_SECTION = /^(?:implementation\s+)?tasks?(?:\s+(?:list|breakdown))?\s*:?\s*$/i;
// Sections of a file without phase headings that are about the tasks rather than groups of them.
const NOT_A_GROUP =
  /^(?:dependencies|dependency|execution|parallel|notes?|summary|overview|format|path conventions|references|legend|progress|status|task generation rules)\b/i;

export function readHeading(line: string): Heading | null {
  const match = ATX_HEADING.exec(line);
  if (!match) return null;
  const text = (match[2] ?? '').replace(/(?:^|[ \t]+)#+$/, '').trim();
  return { level: match[1]!.length, text };
}

/** The phase a heading opens, or null when it is not a phase heading. */
export function readPhaseHeading(heading: Heading): PhaseHeading | null {
  const numbered = heading.level <= 3 && heading.level >= 2 && PHASE_PREFIX.test(heading.text);
  if (!numbered && !(heading.level === 2 && NAMED_PHASE.test(heading.text))) return null;
  return phaseFromTitle(numbered ? heading.text.replace(PHASE_PREFIX, '') : heading.text);
}

/** A ### or #### heading that names a user story, read as that story's phase; else null. */
export function readStoryHeading(heading: Heading): PhaseHeading | null {
  if (heading.level < 3 || heading.level > 4 || !STORY_HEADING.test(heading.text)) return null;
  const phase = phaseFromTitle(heading.text);
  return phase.kind === 'story' ? phase : null;
}

/** A heading's text read as a phase: its kind and key from the words, priority and MVP from the marks. */
export function phaseFromTitle(text: string): PhaseHeading {
  const priority = PRIORITY.exec(text);
  const title = phaseTitle(text) || text;
  return {
    ...kindOf(title),
    title,
    priority: priority ? Number(priority[1] ?? priority[2] ?? priority[3]) : null,
    mvp: text.includes('🎯') || PRIORITY_MVP.test(text),
  };
}

/** A heading or label that introduces a checklist (acceptance criteria, validation, success criteria). */
export function isChecklistTitle(text: string): boolean {
  return CHECKLIST_WORDS.test(text);
}

/** "## Task List": its ### headings are task groups. */
export function isTaskListSection(heading: Heading): boolean {
  return heading.level === 2 && TASK_LIST_SECTION.test(heading.text);
}

/** In a file without phase headings, whether a ## heading can be a group of tasks. */
export function canBeTaskGroup(heading: Heading): boolean {
  return !NOT_A_GROUP.test(heading.text) && !isChecklistTitle(heading.text);
}

function phaseTitle(text: string): string {
  return text
    .replace(TARGET_MVP, ' ')
    .replace(PRIORITY_MVP, ' ')
    .replace(PRIORITY_TEXT, ' ')
    .replace(/\s{2,}/g, ' ')
    .replace(/[\s:,\-–—]+$/, '')
    .trim();
}

// A heading that starts with Setup, Foundational or Polish is that phase even when it mentions a story
// ("Polish after User Story 3"), so the start of the title is looked at before the rest.
function kindOf(title: string): { kind: PhaseKind; key: string; story: string | null } {
  const leadingStory = /^(?:(?:User\s+)?Story\s+|US-?)(\d+)\b/i.exec(title);
  if (leadingStory) return storyKind(leadingStory[1]!);
  if (/^Setup\b/i.test(title)) return { kind: 'setup', key: 'setup', story: null };
  if (/^Foundational\b/i.test(title)) return { kind: 'foundational', key: 'foundational', story: null };
  if (/^Polish\b/i.test(title)) return { kind: 'polish', key: 'polish', story: null };
  // "User Authentication (US1)", "Login [US2]", "Search - User Story 3"
  const story = /\bUser Story\s+(\d+)\b|[([]\s*US-?(\d+)\s*[)\]]/i.exec(title);
  if (story) return storyKind(story[1] ?? story[2]!);
  if (/\bFoundational\b/i.test(title)) return { kind: 'foundational', key: 'foundational', story: null };
  return { kind: 'other', key: slug(title), story: null };
}

function storyKind(digits: string): { kind: PhaseKind; key: string; story: string } {
  const story = normaliseNumber(digits);
  return { kind: 'story', key: `US${story}`, story };
}

function slug(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'phase'
  );
}
