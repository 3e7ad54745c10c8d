// The interface every agent adapter implements: defined in the core (src/core/agent.ts, and the normal form
// its transcript parser produces in src/core/transcript.ts), named here so that adding an agent is adding
// one folder beside this file and one line in index.ts.

export type {
  AgentAdapter,
  Environment,
  LaunchPlan,
  LaunchRequest,
  McpLaunch,
  McpServerCommand,
  TranscriptQuery,
  TranscriptSource,
} from '../src/core/agent.js';
export type { Transcript, TranscriptEntry, TranscriptParser } from '../src/core/transcript.js';
