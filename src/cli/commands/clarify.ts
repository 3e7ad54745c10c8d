// sdd clarify: a recorded session that resolves the spec's [NEEDS CLARIFICATION] markers; each
// question and answer becomes a decision (from the MCP tool, or read from ## Clarifications).

import type { Command } from 'commander';
import { registerEpicPhase } from './epic-phase.js';

export function registerClarify(program: Command): void {
  registerEpicPhase(
    program,
    'clarify',
    "a recorded session that resolves the spec's [NEEDS CLARIFICATION] markers with you; each question and answer becomes a decision (`sdd decisions`)",
  );
}
