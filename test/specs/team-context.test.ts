// The team context section of a prompt (pure): which documents go in whole, which are only named,
// and the front matter that decides it, read from messy files without losing their text.

import { describe, expect, it } from 'vitest';
import { globToRegExp, matchesAny, readContextFrontMatter } from '../../src/specs/context-front-matter.js';
import { CONTEXT_TEMPLATES } from '../../src/specs/context-templates.js';
import { contextPromptSection } from '../../src/specs/team-context.js';

describe('contextPromptSection', () => {
  it('is empty without documents, or with only untouched templates', () => {
    expect(contextPromptSection([])).toBe('');
    const templates = Object.entries(CONTEXT_TEMPLATES).map(([name, text]) => ({ name, text }));
    expect(contextPromptSection(templates)).toBe('');
    // A template saved with CRLF line endings is still the template.
    expect(
      contextPromptSection([{ name: 'product', text: CONTEXT_TEMPLATES.product!.replace(/\n/g, '\r\n') }]),
    ).toBe('');
  });

  it('puts the always documents in whole, the four of sdd first, with their server version and author', () => {
    const section = contextPromptSection([
      { name: 'zeta', text: '# Zeta\n\nlast\n' },
      { name: 'workflow', text: '# Workflow\n\nPRs.\n' },
      { name: 'constitution', text: '# Constitution\n\nTests first.\n', version: 3, author: 'alice' },
    ]);
    expect(section.startsWith('## Team context\n')).toBe(true);
    const order = ['### constitution (version 3 by alice)', '### workflow', '### zeta'].map((h) =>
      section.indexOf(h),
    );
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(section).toContain('Tests first.');
  });

  it('names a fileMatch document unless the work touches a matching path, and a manual one always only by name', () => {
    const docs = [
      {
        name: 'api',
        text: '---\ninclusion: fileMatch\nfileMatchPattern: ["src/api/**", "*.sql"]\n---\n# API\n\nJSON errors.\n',
      },
      { name: 'release', text: '---\ninclusion: manual\n---\n# Release\n\nTag it.\n' },
    ];
    const none = contextPromptSection(docs);
    expect(none).toContain('- .sdd/context/api.md (for src/api/**, *.sql)');
    expect(none).toContain('- .sdd/context/release.md');
    expect(none).not.toContain('JSON errors.');
    expect(none).not.toContain('Tag it.');
    const touching = contextPromptSection(docs, { paths: ['src/api/notes/route.ts'] });
    expect(touching).toContain('### api\n\n# API\n\nJSON errors.');
    expect(touching).not.toContain('fileMatchPattern');
    expect(contextPromptSection(docs, { paths: ['schema.sql'] })).toContain('JSON errors.');
    expect(contextPromptSection(docs, { paths: ['db/schema.sql'] })).not.toContain('JSON errors.');
  });

  it('leaves out a document with nothing after its front matter', () => {
    expect(contextPromptSection([{ name: 'x', text: '---\ninclusion: always\n---\n\n' }])).toBe('');
  });
});

describe('readContextFrontMatter', () => {
  it('reads Kiro forms: quoted, list and flow patterns, CRLF and a BOM', () => {
    expect(
      readContextFrontMatter(
        '\uFEFF---\r\ninclusion: "fileMatch"\r\nfileMatchPattern: \'a/**\'\r\n---\r\nBody\r\n',
      ),
    ).toMatchObject({
      inclusion: 'fileMatch',
      fileMatchPattern: ['a/**'],
      body: 'Body\n',
      bodyLine: 5,
      warnings: [],
    });
    const list = readContextFrontMatter(
      '---\ninclusion: fileMatch\nfileMatchPattern:\n  - "a/*.ts"\n  - b/**\n---\nx\n',
    );
    expect(list.fileMatchPattern).toEqual(['a/*.ts', 'b/**']);
    expect(readContextFrontMatter('No front matter\n')).toMatchObject({
      inclusion: 'always',
      body: 'No front matter\n',
    });
  });

  it('warns with the line of each oddity and falls back to always, keeping the text', () => {
    const odd = readContextFrontMatter('---\ninclusion: fileMatch\ncolour: blue\n: nonsense\n---\nkept\n');
    expect(odd.inclusion).toBe('always');
    expect(odd.body).toBe('kept\n');
    expect(odd.warnings).toEqual([
      { line: 3, problem: 'unknown front matter key "colour" (kept in the text)' },
      { line: 4, problem: 'front matter line not understood: ": nonsense"' },
      {
        line: 2,
        problem: 'inclusion: fileMatch without a fileMatchPattern; the document is included always',
      },
    ]);
    const unclosed = readContextFrontMatter('---\ninclusion: manual\ntext\n');
    expect(unclosed.inclusion).toBe('always');
    expect(unclosed.body).toBe('---\ninclusion: manual\ntext\n');
    expect(unclosed.warnings[0]!.line).toBe(1);
  });
});

describe('globs', () => {
  it('matches **, *, ? and {a,b} over relative paths', () => {
    expect(matchesAny('app/api/v1/users.py', ['app/api/**/*.py'])).toBe(true);
    expect(matchesAny('app/api/users.py', ['app/api/**/*.py'])).toBe(true);
    expect(matchesAny('app/web/users.py', ['app/api/**/*.py'])).toBe(false);
    expect(matchesAny('./src/a.ts', ['src/*.{ts,tsx}'])).toBe(true);
    expect(matchesAny('src/a.js', ['src/*.{ts,tsx}'])).toBe(false);
    expect(globToRegExp('file?.md').test('file1.md')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});
