// The documents of an epic's spec folder (specs/NNN-slug/), in the order the phases make them.

export const SPEC_DOCUMENTS = [
  'spec.md',
  'plan.md',
  'research.md',
  'data-model.md',
  'quickstart.md',
  'contracts',
  'tasks.md',
] as const;
