// The phases of the spec workflow, in order: each is one or more recorded sessions on the epic
// (specify, clarify, plan, tasks) or on its tasks (implement).

export const PHASES = ['specify', 'clarify', 'plan', 'tasks', 'implement'] as const;
export type PhaseName = (typeof PHASES)[number];

export function isPhaseName(value: string): value is PhaseName {
  return (PHASES as readonly string[]).includes(value);
}
