// Reads one spec-kit task line ("- [ ] T012 [P] [US1] Create Note model in src/models/note.py"). The parser
// and the box ticker share it so that both agree on what a task line is.

import { indentWidth } from './markdown-lines.js';

export interface CheckboxLine {
  /** Columns before the list marker. */
  indent: number;
  /** Index in the line of the character between the box's brackets. */
  boxOffset: number;
  checked: boolean;
  /** Everything after the box, trimmed. */
  rest: string;
}

export interface TaskHead {
  /** The id as written: T012. */
  ref: string;
  /** The id's number without leading zeros, as a string so that T12 and T012 compare equal at any length. */
  number: string;
  parallel: boolean;
  /** Every story tag on the line, normalised (US1); more than one is the parser's problem to report. */
  stories: string[];
  title: string;
}

// Any Markdown list item: -, * or + bullets, and numbered items (1. or 1)).
const CHECKBOX = /^([ \t]*(?:[-*+]|\d+[.)])[ \t]+)\[([ xX])\](?=[ \t]|$)(.*)$/;
// A list item with something box-like before a task id that is not a box: "- [] T008", "- [ x] T009".
const BROKEN_CHECKBOX = /^[ \t]*(?:[-*+]|\d+[.)])[ \t]*\[[^\]\n]{0,3}\][ \t]*T\d+/;
// An id may be followed by a colon or full stop ("T001: Create..."), which is punctuation, not title.
const TASK_ID = /^T(\d+)(?:[:.](?=\s|$))?(?=\s|\[|$)/;
// A bracket group followed by "(" is a Markdown link, which belongs to the title.
const TAG = /^\s*\[([^\]\n]*)\](?!\()/;
const STORY_TAG = /^US0*(\d+)$/i;

export function matchCheckbox(line: string): CheckboxLine | null {
  const match = CHECKBOX.exec(line);
  if (!match) return null;
  return {
    indent: indentWidth(line),
    boxOffset: match[1]!.length + 1,
    checked: match[2] !== ' ',
    rest: match[3]!.trim(),
  };
}

/** A line meant as a task whose check box is malformed (a matchCheckbox miss that looks like a task). */
export function isBrokenCheckbox(line: string): boolean {
  return BROKEN_CHECKBOX.test(line) && !CHECKBOX.test(line);
}

/** The id, tags and title after the box; null when the line has no valid id. */
export function readTaskHead(rest: string): TaskHead | null {
  const id = TASK_ID.exec(rest);
  if (!id) return null;
  let remaining = rest.slice(id[0].length);
  let parallel = false;
  const stories: string[] = [];
  const keptTags: string[] = [];
  for (let tag = TAG.exec(remaining); tag; tag = TAG.exec(remaining)) {
    const name = tag[1]!.trim();
    const story = STORY_TAG.exec(name);
    if (/^P$/i.test(name)) parallel = true;
    else if (story) stories.push(`US${normaliseNumber(story[1]!)}`);
    else keptTags.push(`[${tag[1]}]`);
    remaining = remaining.slice(tag[0].length);
  }
  const title = [...keptTags, remaining.trim()].filter((part) => part !== '').join(' ');
  return { ref: `T${id[1]}`, number: normaliseNumber(id[1]!), parallel, stories, title };
}

/** The number of a task reference like T012 (or t12), null when it is not one. */
export function taskRefNumber(ref: string): string | null {
  const match = /^T(\d+)$/i.exec(ref.trim());
  return match ? normaliseNumber(match[1]!) : null;
}

export function normaliseNumber(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}
