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
// "Phase N" is the template's own placeholder, kept when someone fills the template in by hand.
const PHASE_PREFIX = /^Phase\s+(?:\d+(?:\.\d+)*[a-z]?|N)\b\s*[:.\-–—]?\s*/i;
const NAMED_PHASE = /^(?:User Story\s+\d+|Setup|Foundational|Polish)\b/i;
const PRIORITY = /\bPriority\s*:\s*P(\d+)\b/i;

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
  const priority = PRIORITY.exec(heading.text);
  const title = phaseTitle(numbered ? heading.text.replace(PHASE_PREFIX, '') : heading.text) || heading.text;
  return {
    ...kindOf(title),
    title,
    priority: priority ? Number(priority[1]) : null,
    mvp: /\bMVP\b/i.test(heading.text) || heading.text.includes('🎯'),
  };
}

function phaseTitle(text: string): string {
  return text
    .replace(/\(\s*Priority\s*:\s*P\d+\s*\)/gi, '')
    .replace(/[-–—,]?\s*\bPriority\s*:\s*P\d+\b/gi, '')
    .replace(/🎯\s*MVP\b/giu, '')
    .replace(/🎯/gu, '')
    .replace(/\s*\(?\bMVP\b\)?\s*$/i, '')
    .replace(/\s{2,}/g, ' ')
    .replace(/[\s:,\-–—]+$/, '')
    .trim();
}

// A heading that starts with Setup, Foundational or Polish is that phase even when it mentions a story
// ("Polish after User Story 3"), so the start of the title is looked at before the rest.
function kindOf(title: string): { kind: PhaseKind; key: string; story: string | null } {
  const leadingStory = /^User Story\s+(\d+)\b/i.exec(title);
  if (leadingStory) return storyKind(leadingStory[1]!);
  if (/^Setup\b/i.test(title)) return { kind: 'setup', key: 'setup', story: null };
  if (/^Foundational\b/i.test(title)) return { kind: 'foundational', key: 'foundational', story: null };
  if (/^Polish\b/i.test(title)) return { kind: 'polish', key: 'polish', story: null };
  const story = /\bUser Story\s+(\d+)\b/i.exec(title);
  if (story) return storyKind(story[1]!);
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
