// One normal form for the conversation of any coding agent: who said what, which tool was called with
// what, what came back, when, and with which model. Parsers of each agent's own log produce it.

/**
 * - user, assistant: the person and the model speaking in the conversation;
 * - thinking: the model's reasoning (Claude's thinking blocks, Codex's reasoning, Gemini's thoughts);
 * - tool_call, tool_result: a tool the model called and what came back;
 * - system: the harness saying something a reader of the conversation needs (compaction, errors, aborts);
 * - meta: text the harness wrote that nobody said (command tags, injected context, reminders, hook
 *   progress) and bookkeeping records it logs (snapshots, attachments, token counts), one short line each;
 * - unknown: a line or record the parser does not understand, kept as written in raw.
 */
export type TranscriptEntryKind =
  | 'user'
  | 'assistant'
  | 'thinking'
  | 'tool_call'
  | 'tool_result'
  | 'system'
  | 'meta'
  | 'unknown';

export interface TranscriptEntry {
  kind: TranscriptEntryKind;
  /** ISO time of the entry when the log has one. */
  time: string | null;
  /** The model that produced an assistant message, thinking or tool call, when the log says. */
  model: string | null;
  /** The message text; for a tool call a one-line summary; for a tool result its output. */
  text: string;
  /** For tool_call: the tool, its call id and its input exactly as logged. */
  tool?: { name: string; callId: string | null; input: unknown };
  /** For tool_result: which call it answers and whether the tool failed. */
  result?: { callId: string | null; isError: boolean };
  /**
   * Set on the entries of a sub-agent's own conversation (Claude Code's isSidechain records): its user is
   * the main agent handing it a task and its assistant is the sub-agent, not the main conversation's.
   */
  sidechain?: { agentId: string | null };
  /** For meta and unknown entries: the record's type as the log names it (attachment, event_msg/world_state). */
  recordType?: string;
  /** For unknown (and anything not fully understood): the line as the agent wrote it, never dropped. */
  raw?: string;
  /** Where in the agent's log it came from (file name within the session's transcript folder, 1-based line). */
  source: { file: string; line: number };
}

export interface Transcript {
  agent: string;
  /** The agent's own id for the conversation (Claude's sessionId, Codex's session id...), when known. */
  conversationId: string | null;
  entries: TranscriptEntry[];
}

/**
 * Reads one of an agent's transcript files into the normal form; file is its name within the session's
 * transcript folder (each entry's source.file). A line it cannot read is kept as 'unknown', never dropped.
 */
export type TranscriptParser = (text: string, file: string) => Transcript;
