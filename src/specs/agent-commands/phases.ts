// The phase commands an agent runs from inside itself (/sdd.specify, /sdd.plan, ...): each one thin.
// It has the agent run `sdd <phase> --here` first (that registers the phase for the recorded session
// and prints the phase's instructions and the paths to write), follow what sdd printed, and end
// with `sdd <phase> --here --done` (sdd links what appeared: artifacts, decisions).

export const PHASES = ['specify', 'clarify', 'plan', 'tasks', 'implement'] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseCommand {
  phase: Phase;
  /** One line for the agent's command list. */
  description: string;
  /** What the person types after the command, for the agents that show a hint. */
  argumentHint: string;
}

export const PHASE_COMMANDS: Record<Phase, PhaseCommand> = {
  specify: {
    phase: 'specify',
    description: 'sdd: start a new epic and write its spec (spec.md) from a feature description',
    argumentHint: '<feature description>',
  },
  clarify: {
    phase: 'clarify',
    description:
      "sdd: resolve the spec's [NEEDS CLARIFICATION] markers; each answer is recorded as a decision",
    argumentHint: '[epic]',
  },
  plan: {
    phase: 'plan',
    description:
      'sdd: write the plan of an epic (plan.md, research.md, data-model.md, contracts/, quickstart.md)',
    argumentHint: '[epic] [guidance]',
  },
  tasks: {
    phase: 'tasks',
    description: "sdd: break an epic's plan into tasks.md and import them into the tracker",
    argumentHint: '[epic]',
  },
  implement: {
    phase: 'implement',
    description: 'sdd: implement the ready tasks of an epic, each as a recorded session',
    argumentHint: '[epic]',
  },
};

/**
 * The instructions every agent's file carries, with `input` where the agent puts what the person
 * typed after the command ($ARGUMENTS, {{args}}, ...).
 */
export function phaseInstructions(phase: Phase, input: string): string {
  const run =
    phase === 'specify'
      ? `sdd specify --here "<the user input, as one quoted argument>"`
      : `sdd ${phase} --here [epic]`;
  const argumentRule =
    phase === 'specify'
      ? 'The user input is the feature to specify; it must not be empty (if it is, ask for it first).'
      : 'Pass the epic (like `004-team-notes`) only when the user input names one; without it sdd picks the epic of the current branch. Any other words of the user input are guidance for you in this phase.';
  return `## User input

${input}

## Steps

1. Run this in the project's terminal before anything else:

   \`${run}\`

   ${argumentRule}
   sdd registers the ${phase} phase for this session, then prints the phase's instructions and the
   paths to write. If it fails, show its message to the person and stop.
2. Do what sdd printed, in order, writing only the paths it named.
3. When you have finished, run \`sdd ${phase} --here --done\` and tell the person what it reports.
`;
}
