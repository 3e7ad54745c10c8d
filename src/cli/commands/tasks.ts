// sdd tasks: a recorded session that writes the epic's tasks.md, imported into the tracker at its
// end as `sdd import` does (re-running it updates the same tasks).

import type { Command } from 'commander';
import { registerEpicPhase } from './epic-phase.js';

export function registerTasks(program: Command): void {
  registerEpicPhase(
    program,
    'tasks',
    "a recorded session that writes the epic's tasks.md from its plan; then imported into the tracker (exit 1 when no tasks.md was written)",
  );
}
