// One normal form for the conversation of any coding agent: who said what, which tool was called with
// what, what came back, when, and with which model. Parsers of each agent's own log produce it.

export type TranscriptEntryKind = 'user' | 'assistant' | 'tool_call' | 'tool_result' | 'system' | 'unknown';

export interface TranscriptEntry {
  kind: TranscriptEntryKind;
  /** ISO time of the entry when the log has one. */
  time: string | null;
  /** The model that produced an assistant message or tool call, when the log says. */
  model: string | null;
  /** The message text; for a tool call a one-line summary; for a tool result its output. */
  text: string;
  /** For tool_call: the tool, its call id and its input exactly as logged. */
  tool?: { name: string; callId: string | null; input: unknown };
  /** For tool_result: which call it answers and whether the tool failed. */
  result?: { callId: string | null; isError: boolean };
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
