// The adapters sdd knows, by the name people type after --agent.

import type { AgentAdapter } from './agent-adapter.js';
import { claudeCodeAdapter } from './claude-code.js';
import { genericAdapter } from './generic.js';

export const ADAPTERS: readonly AgentAdapter[] = [claudeCodeAdapter, genericAdapter];

export function findAdapter(name: string): AgentAdapter | undefined {
  return ADAPTERS.find((a) => a.name === name);
}
