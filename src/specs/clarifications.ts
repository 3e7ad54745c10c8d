// Reads the decisions of a spec's `## Clarifications` section, as spec-kit's /clarify writes it:
//
//   ## Clarifications
//   ### Session 2025-03-14
//   - Q: Which sign-in methods? → A: Email and password only (rationale: no SSO yet)
//
// Pure and tolerant: several sessions, `->` for `→`, an answer carried over to the next lines, an
// answer of "defer" (kept, with the choice "deferred"), and stray lines (a warning, file:line).

import type { ParseProblem } from '../core/errors.js';
import { indentWidth, readLines } from './markdown-lines.js';

export interface Clarification {
  /** The `### Session YYYY-MM-DD` it is under (the heading's date, or its text), or null. */
  session: string | null;
  question: string;
  /** The answer as written, on one line. */
  answer: string;
  /** The answer without its rationale; "deferred" for a question left for later. */
  choice: string;
  rationale: string;
  /** Options named in the question: "(options: A | B | C)" or "[A / B / C]" at its end. */
  options: string[];
  /** 1-based line of its `- Q:`. */
  line: number;
  /** The `- Q:` line as written, to find when it first appeared in a session's checkpoints. */
  text: string;
}

export interface ClarificationsRead {
  clarifications: Clarification[];
  warnings: ParseProblem[];
}

const SECTION = /^#{1,2}\s+Clarifications?\s*$/i;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const SESSION = /^Session\s+(.*)$/i;
const QUESTION = /^\s*[-*+]\s+(?:\*\*)?Q(?:uestion)?\s*(?:\*\*)?\s*[:：](?:\*\*)?\s*(.*)$/i;
const ARROW = /\s*(?:→|->|=>)\s*(?:\*\*)?A(?:nswer)?\s*(?:\*\*)?\s*[:：](?:\*\*)?\s*/i;
const ANSWER_START =
  /^\s*(?:[-*+]\s+)?(?:→|->|=>)?\s*(?:\*\*)?A(?:nswer)?\s*(?:\*\*)?\s*[:：](?:\*\*)?\s*(.*)$/i;
const BULLET = /^\s*[-*+]\s+/;
const DEFERRED = /^(?:defer(?:red)?|postponed?|later|tbd|to be decided)\b/i;
const RATIONALE =
  /\s*(?:\((?:rationale|why|because)[:\s]\s*(.*?)\)\s*$|[.;,]?\s+(?:rationale|because|why)\s*[:—-]\s*(.*)$|\s+—\s+(.*)$)/i;
const OPTIONS = /\s*(?:\((?:options?|choices?)\s*:\s*(.*?)\)|\[([^\]]*[|/][^\]]*)\])\s*([?.]?)\s*$/i;

interface Entry {
  session: string | null;
  line: number;
  text: string;
  question: string;
  answer: string | null;
}

export function readClarifications(text: string, file = 'spec.md'): ClarificationsRead {
  const warnings: ParseProblem[] = [];
  const entries: Entry[] = [];
  let inSection = false;
  let session: string | null = null;
  let current: Entry | null = null;
  let blankSince = false;
  for (const line of readLines(text)) {
    if (line.hidden) continue;
    const heading = HEADING.exec(line.text);
    if (heading) {
      current = null;
      if (SECTION.test(line.text)) {
        inSection = true;
        session = null;
        continue;
      }
      if (heading[1]!.length <= 2) inSection = false;
      else if (inSection) {
        const named = SESSION.exec(heading[2]!);
        session = named ? named[1]!.trim() : heading[2]!.trim();
        if (!named)
          warn(
            line.number,
            `"${heading[2]}" is not a "### Session YYYY-MM-DD" heading; its questions are kept under it`,
          );
      }
      continue;
    }
    if (!inSection) continue;
    if (line.text.trim() === '') {
      blankSince = true;
      continue;
    }
    const question = QUESTION.exec(line.text);
    if (question) {
      current = { session, line: line.number, text: line.text.trim(), question: question[1]!, answer: null };
      const split = ARROW.exec(current.question);
      if (split) {
        current.answer = current.question.slice(split.index + split[0].length);
        current.question = current.question.slice(0, split.index);
      }
      entries.push(current);
      blankSince = false;
      continue;
    }
    // A line carrying on the entry above: right under it, or indented under it after a blank line.
    const continues = current && !BULLET.test(line.text) && (!blankSince || indentWidth(line.text) >= 2);
    const answerStart = ANSWER_START.exec(line.text);
    if (current && answerStart && current.answer === null && (!blankSince || indentWidth(line.text) >= 2)) {
      current.answer = answerStart[1]!;
      blankSince = false;
      continue;
    }
    if (current && continues) {
      const words = line.text.trim();
      if (current.answer === null) current.question = `${current.question} ${words}`;
      else current.answer = `${current.answer} ${words}`;
      blankSince = false;
      continue;
    }
    warn(line.number, `not a "- Q: ... → A: ..." line of the Clarifications section; left out`);
    current = null;
    blankSince = false;
  }

  const clarifications: Clarification[] = [];
  for (const entry of entries) {
    const answer = (entry.answer ?? '').trim();
    if (answer === '') {
      warn(entry.line, 'a question with no answer ("→ A: ..."); left out until it has one');
      continue;
    }
    clarifications.push({
      ...decide(entry.question.trim(), answer),
      session: entry.session,
      line: entry.line,
      text: entry.text,
    });
  }
  return { clarifications, warnings };

  function warn(line: number, problem: string): void {
    warnings.push({ file, line, problem });
  }
}

function decide(rawQuestion: string, answer: string): Omit<Clarification, 'session' | 'line' | 'text'> {
  let question = rawQuestion;
  let options: string[] = [];
  const offered = OPTIONS.exec(question);
  if (offered) {
    options = (offered[1] ?? offered[2] ?? '')
      .split(/\s*[|/]\s*|\s*,\s*/)
      .map((o) => o.trim())
      .filter(Boolean);
    question = `${question.slice(0, offered.index)}${offered[3] ?? ''}`.trim();
  }
  let choice = answer;
  let rationale = '';
  const why = RATIONALE.exec(answer);
  if (why && why.index > 0) {
    rationale = (why[1] ?? why[2] ?? why[3] ?? '').trim();
    choice = answer.slice(0, why.index).trim();
  }
  choice = choice.replace(/[.\s]+$/, '') || choice;
  if (DEFERRED.test(choice)) {
    // "Deferred: needs the legal team" keeps the reason as the rationale.
    const reason = choice
      .replace(DEFERRED, '')
      .replace(/^[\s:—-]+/, '')
      .trim();
    if (reason && !rationale) rationale = reason;
    choice = 'deferred';
  }
  return { question, answer, choice, rationale, options };
}
