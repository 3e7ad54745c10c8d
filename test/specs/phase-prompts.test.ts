// The prompts and names of the spec workflow: what each phase asks, and the short names and titles
// sdd specify makes of a description.

import { describe, expect, it } from 'vitest';
import { featureTitleOf, fillTemplate, shortNameOf } from '../../src/specs/feature-names.js';
import { phasePrompt } from '../../src/specs/templates/phase-prompts.js';
import { SPEC_TEMPLATE } from '../../src/specs/templates/spec-template.js';
import { TASKS_TEMPLATE } from '../../src/specs/templates/tasks-template.js';

const base = {
  epicKey: '001-photo-albums',
  epicTitle: 'Photo albums',
  epicId: 'sd-1',
  specDir: 'specs/001-photo-albums',
  description: 'Photo albums people can share',
  contextSection: '',
};

describe('phase prompts', () => {
  it("asks each phase for its own documents, in the epic's folder", () => {
    expect(phasePrompt({ ...base, phase: 'specify' })).toContain('> Photo albums people can share');
    expect(phasePrompt({ ...base, phase: 'specify' })).toContain('specs/001-photo-albums/spec.md');
    const clarify = phasePrompt({ ...base, phase: 'clarify' });
    expect(clarify).toContain('### Session YYYY-MM-DD');
    expect(clarify).toContain('- Q: <question> → A: <the answer chosen>');
    expect(clarify).toContain('decision tool');
    const plan = phasePrompt({ ...base, phase: 'plan' });
    for (const doc of ['research.md', 'data-model.md', 'contracts/', 'quickstart.md']) {
      expect(plan).toContain(`specs/001-photo-albums/${doc}`);
    }
    const tasks = phasePrompt({ ...base, phase: 'tasks' });
    expect(tasks).toContain('specs/001-photo-albums/tasks.md');
    expect(tasks).toContain('- [ ] T001 [P] [US1]');
  });

  it("carries the project's context when there is some, and no empty section when there is none", () => {
    const context = '## Project context (follow it)\n\n### .sdd/context/constitution.md\n\nTests first.';
    expect(phasePrompt({ ...base, phase: 'plan', contextSection: context })).toContain('Tests first.');
    expect(phasePrompt({ ...base, phase: 'plan' })).not.toContain('Project context');
  });

  it("keeps the tasks template's sample tasks in a comment, so an unfilled copy imports nothing", () => {
    const sample = TASKS_TEMPLATE.slice(TASKS_TEMPLATE.indexOf('<!--'), TASKS_TEMPLATE.indexOf('-->'));
    expect(sample).toContain('- [ ] T001');
    expect(TASKS_TEMPLATE.replace(sample, '')).not.toMatch(/- \[ \] T\d/);
  });
});

describe('feature names', () => {
  it('makes a short name of the first meaningful words', () => {
    expect(shortNameOf('Add photo albums for users')).toBe('photo-albums');
    expect(shortNameOf('I want people to share Photo Albums with friends!')).toBe('people-share-photo');
    expect(shortNameOf('Café menu')).toBe('cafe-menu');
    expect(shortNameOf('a the')).toBe('a-the');
    expect(shortNameOf('!!!')).toBe('feature');
  });

  it('titles the epic with the first line, cut at a word', () => {
    expect(featureTitleOf('Photo albums.\nMore words')).toBe('Photo albums');
    const long = featureTitleOf('word '.repeat(40));
    expect(long.length).toBeLessThanOrEqual(101);
    expect(long.endsWith('…')).toBe(true);
  });

  it('fills the template placeholders it knows and leaves the rest for the agent', () => {
    const spec = fillTemplate(SPEC_TEMPLATE, {
      'FEATURE NAME': 'Photo albums',
      '###-feature-name': '001-photo-albums',
    });
    expect(spec).toContain('# Feature Specification: Photo albums');
    expect(spec).toContain('`001-photo-albums`');
    expect(spec).toContain('[NEEDS CLARIFICATION:');
  });
});
