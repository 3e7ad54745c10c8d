// Decisions: a question met while shaping or building an epic, the options seen, the choice made
// and why, who chose, and where in which session (so `sdd replay SESSION --at TIME` shows the
// moment). The agent records them through the MCP decision tool; `sdd clarify` also reads them from
// the `## Clarifications` section spec-kit's agents write.

export type DecisionSource = 'mcp' | 'clarifications' | 'cli';

export interface Decision {
  /** The tracker's id for it (D1, D2, ... per project). */
  id: string;
  /** sdd's id of the item it is about: an epic, a feature or a task. */
  itemId: string;
  question: string;
  /** The options that were on the table; may be empty (an open question answered in words). */
  options: string[];
  choice: string;
  rationale: string;
  /** Who chose: a person, or the agent session's actor. */
  actor: string;
  /** The session it was made in, and the moment in its recording (seconds since its start). */
  sessionId: string | null;
  sessionTime: number | null;
  source: DecisionSource;
  /** Wall-clock time it was recorded. */
  at: string;
}

export interface DecisionInput {
  /** A reference to the item it is about (epic, feature or task). */
  item: string;
  question: string;
  options?: string[];
  choice: string;
  rationale?: string;
  sessionId?: string | null;
  sessionTime?: number | null;
  source?: DecisionSource;
}

export interface DecisionFilter {
  /** A reference to an epic: decisions about it or any item below it. */
  epic?: string;
  /** A reference to one item: decisions about it only. */
  item?: string;
  sessionId?: string;
  /** Words that must all appear (any case) in the question, the options, the choice or the rationale. */
  grep?: string;
  limit?: number;
}

/**
 * The part of the Service that keeps decisions. Recording one whose item, question and choice equal
 * an existing decision's returns that one unchanged (so re-reading a Clarifications section never
 * duplicates it).
 */
export interface DecisionLog {
  recordDecision(input: DecisionInput, actor: string): Promise<Decision>;
  /** Oldest first. */
  listDecisions(filter?: DecisionFilter): Promise<Decision[]>;
}
