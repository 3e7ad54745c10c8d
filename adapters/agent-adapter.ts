// The interface every agent adapter implements: defined in the core (src/core/agent.ts), named here
// so that adding an agent is adding one file beside this one.

export type {
  AgentAdapter,
  Environment,
  LaunchPlan,
  LaunchRequest,
  TranscriptQuery,
  TranscriptSource,
} from '../src/core/agent.js';
