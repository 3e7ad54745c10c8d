// The adapters sdd knows, by the name people type after --agent.

import type { AgentAdapter } from './agent-adapter.js';
import { aiderAdapter } from './aider.js';
import { claudeCodeAdapter } from './claude-code.js';
import { codexAdapter } from './codex.js';
import { copilotAdapter } from './copilot.js';
import { geminiAdapter } from './gemini.js';
import { genericAdapter } from './generic.js';
import { opencodeAdapter } from './opencode.js';

export const ADAPTERS: readonly AgentAdapter[] = [
  claudeCodeAdapter,
  codexAdapter,
  geminiAdapter,
  aiderAdapter,
  copilotAdapter,
  opencodeAdapter,
  genericAdapter,
];

export function findAdapter(name: string): AgentAdapter | undefined {
  return ADAPTERS.find((a) => a.name === name);
}
