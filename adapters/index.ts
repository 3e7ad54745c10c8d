// The agent CLIs sdd knows, one folder each (launch, transcript finder, transcript parser): all else
// (the `sdd agents` list, the names --agent takes, the parser of a session's transcript) comes from here.

import type { AgentAdapter } from './agent-adapter.js';
import { aiderAdapter } from './aider/index.js';
import { claudeCodeAdapter } from './claude-code/index.js';
import { codexAdapter } from './codex/index.js';
import { copilotAdapter } from './copilot/index.js';
import { geminiAdapter } from './gemini/index.js';
import { genericAdapter } from './generic.js';
import { opencodeAdapter } from './opencode/index.js';

export const ADAPTERS: readonly AgentAdapter[] = [
  claudeCodeAdapter,
  codexAdapter,
  geminiAdapter,
  aiderAdapter,
  copilotAdapter,
  opencodeAdapter,
  genericAdapter,
];

/** The names an adapter answers to: its own, and its command's (`claude` for claude-code). */
export function agentNames(adapter: AgentAdapter): string[] {
  return adapter.binary && adapter.binary !== adapter.name ? [adapter.name, adapter.binary] : [adapter.name];
}

/** The adapter by either of its names. */
export function findAdapter(name: string): AgentAdapter | undefined {
  return ADAPTERS.find((adapter) => agentNames(adapter).includes(name));
}
