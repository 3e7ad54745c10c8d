// The commands of the spec workflow, registered together: the phases (specify, clarify, plan, tasks,
// implement) and what they leave (epic show, artifact log/diff, decisions).

import type { Command } from 'commander';
import { registerArtifact } from './artifact.js';
import { registerClarify } from './clarify.js';
import { registerDecisions } from './decisions.js';
import { registerEpic } from './epic.js';
import { registerImplement } from './implement.js';
import { registerPlan } from './plan.js';
import { registerSpecify } from './specify.js';
import { registerTasks } from './tasks.js';

export function registerPhaseCommands(program: Command): void {
  registerSpecify(program);
  registerClarify(program);
  registerPlan(program);
  registerTasks(program);
  registerImplement(program);
  registerEpic(program);
  registerArtifact(program);
  registerDecisions(program);
}
