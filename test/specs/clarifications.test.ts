// Reading decisions from spec-kit's Clarifications section, tidy and messy.

import { describe, expect, it } from 'vitest';
import { readClarifications } from '../../src/specs/clarifications.js';

const spec = (section: string) =>
  `# Feature: Photo albums\n\n## Overview\n\nText.\n\n${section}\n## Requirements\n\n- FR-001\n`;

describe('readClarifications', () => {
  it('reads spec-kit format: one session, arrows, the line of each question', () => {
    const read = readClarifications(
      spec(
        '## Clarifications\n\n### Session 2025-03-14\n\n- Q: Which sign-in methods? → A: Email and password only\n- Q: How long are albums kept? -> A: Forever\n',
      ),
    );
    expect(read.warnings).toEqual([]);
    expect(read.clarifications).toEqual([
      expect.objectContaining({
        session: '2025-03-14',
        question: 'Which sign-in methods?',
        choice: 'Email and password only',
        line: 11,
        text: '- Q: Which sign-in methods? → A: Email and password only',
      }),
      expect.objectContaining({ question: 'How long are albums kept?', choice: 'Forever', line: 12 }),
    ]);
  });

  it('keeps several sessions apart', () => {
    const read = readClarifications(
      spec(
        '## Clarifications\n### Session 2025-03-14\n- Q: A? → A: yes\n\n### Session 2025-03-20\n- Q: B? → A: no\n',
      ),
    );
    expect(read.clarifications.map((c) => [c.session, c.question, c.choice])).toEqual([
      ['2025-03-14', 'A?', 'yes'],
      ['2025-03-20', 'B?', 'no'],
    ]);
  });

  it('joins an answer written over two lines, and an answer on the line under its question', () => {
    const read = readClarifications(
      '## Clarifications\n### Session 2025-03-14\n- Q: Who may share an album? → A: Its owner,\n  and anyone the owner invites\n- Q: Max photo size?\n  → A: 25 MB\n',
    );
    expect(read.warnings).toEqual([]);
    expect(read.clarifications.map((c) => c.choice)).toEqual([
      'Its owner, and anyone the owner invites',
      '25 MB',
    ]);
  });

  it('keeps a deferred question as a decision with the choice "deferred" and its reason', () => {
    const read = readClarifications(
      '## Clarifications\n### Session 2025-03-14\n- Q: Which payment provider? → A: Defer\n- Q: GDPR export? → A: deferred: needs the legal team\n',
    );
    expect(read.clarifications).toEqual([
      expect.objectContaining({ question: 'Which payment provider?', choice: 'deferred', answer: 'Defer' }),
      expect.objectContaining({ choice: 'deferred', rationale: 'needs the legal team' }),
    ]);
  });

  it('takes the options and the rationale apart from the question and the choice', () => {
    const read = readClarifications(
      '## Clarifications\n- Q: Storage? (options: S3 | local disk | GCS) → A: S3 (rationale: the team runs on AWS)\n',
    );
    expect(read.clarifications[0]).toMatchObject({
      question: 'Storage?',
      options: ['S3', 'local disk', 'GCS'],
      choice: 'S3',
      rationale: 'the team runs on AWS',
      session: null,
    });
  });

  it('warns of stray lines and unanswered questions with their line, and keeps the rest', () => {
    const text =
      '## Clarifications\n### Session 2025-03-14\n- Q: A? → A: yes\n\nSome note the agent left.\n- a bullet\n- Q: Still open?\n### Notes\n- Q: B? → A: no\n';
    const read = readClarifications(text, 'specs/001-x/spec.md');
    expect(read.clarifications.map((c) => c.question)).toEqual(['A?', 'B?']);
    expect(read.warnings).toEqual([
      { file: 'specs/001-x/spec.md', line: 5, problem: expect.stringContaining('not a "- Q:') },
      { file: 'specs/001-x/spec.md', line: 6, problem: expect.stringContaining('not a "- Q:') },
      { file: 'specs/001-x/spec.md', line: 8, problem: expect.stringContaining('Session YYYY-MM-DD') },
      { file: 'specs/001-x/spec.md', line: 7, problem: expect.stringContaining('no answer') },
    ]);
  });

  it('ignores questions outside the section and in code fences, and a spec without the section', () => {
    expect(readClarifications(spec('## Notes\n- Q: X? → A: y\n')).clarifications).toEqual([]);
    const fenced = '## Clarifications\n```\n- Q: example? → A: example\n```\n- Q: real? → A: yes\n';
    expect(readClarifications(fenced).clarifications.map((c) => c.question)).toEqual(['real?']);
  });

  it('reads bold markers and CRLF line ends', () => {
    const read = readClarifications(
      '## Clarifications\r\n### Session 2025-01-02\r\n- **Q**: Bold? → **A**: Yes\r\n',
    );
    expect(read.clarifications[0]).toMatchObject({ question: 'Bold?', choice: 'Yes', session: '2025-01-02' });
  });
});
