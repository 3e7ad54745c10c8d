// What sdd needs to know of a coding-agent CLI: mostly data (its binary, how it reports its version), plus
// how to launch it with a prompt, how to find the transcript that this very session wrote, and how to read
// it. The port lives in the core so that the recorders, which follow an agent's transcript, and the
// adapters, which implement it, both depend on the core and not on each other.

import type { TranscriptParser } from './transcript.js';

/** The environment a program is started with (Node's process.env has this shape). */
export type Environment = Record<string, string | undefined>;

export interface LaunchRequest {
  /** sdd's session id. */
  sessionId: string;
  cwd: string;
  /** The task prompt, and the file that holds it. */
  prompt: string;
  promptFile: string;
  /** Run without a conversation to type into (the agent's print / exec mode). */
  headless: boolean;
  env: Environment;
  /** Words the person put after -- : passed on to the agent as they are. */
  extraArgs: string[];
  /** What this agent's mcpServer() gave for sdd's MCP server: its launch puts the words in place. */
  mcp?: McpLaunch;
}

/** How to start sdd's MCP server (`sdd mcp`) for one session. */
export interface McpServerCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** How an agent is pointed at an MCP server: words for its command line, variables for its environment. */
export interface McpLaunch {
  args: string[];
  env: Record<string, string>;
}

export interface LaunchPlan {
  command: string[];
  /** The agent's own conversation id, when sdd could choose it up front. */
  conversationId: string | null;
}

export interface TranscriptQuery {
  cwd: string;
  env: Environment;
  startedAt: Date;
  conversationId: string | null;
  /** The words the person gave the agent (after --): they can name where its transcript goes. */
  extraArgs: string[];
}

/** A transcript file and the byte offset from which this session's part of it begins. */
export interface TranscriptSource {
  path: string;
  fromOffset: number;
  /** The agent rewrites the whole file rather than appending (Gemini CLI's older .json chats). */
  rewritten?: boolean;
}

export interface AgentAdapter {
  /** What people type after --agent; the binary's name is accepted too (`claude` for claude-code). */
  name: string;
  title: string;
  binary: string;
  versionArgs: string[];
  /**
   * Loads the parser of its transcript (its folder's transcript-parser.ts); null when it keeps none sdd
   * can read. On demand, so that the parsers stay out of the CLI's start-up (each is its own chunk).
   */
  loadTranscriptParser: (() => Promise<TranscriptParser>) | null;
  launch(request: LaunchRequest): LaunchPlan;
  /** Continues a parent session's conversation on a new branch of it, where the agent can. */
  fork?(request: LaunchRequest, parentConversationId: string): LaunchPlan;
  /**
   * Gives the agent sdd's MCP server for this session, through files it writes in `configDir` (a temp
   * folder sdd removes at the end) and the words and variables it returns: never the person's own config.
   */
  mcpServer?(server: McpServerCommand, configDir: string, env: Environment): McpLaunch;
  /** Called before the launch, for agents whose transcript is a shared file that grows (Aider). */
  beforeLaunch?(query: TranscriptQuery): Promise<unknown>;
  /** Called after the agent exited, before the last copy: a transcript sdd assembles gets its last records. */
  settleTranscript?(prepared: unknown): Promise<void>;
  /** Called once the transcript is copied for good: anything beforeLaunch set up can go. */
  afterSession?(prepared: unknown): Promise<void>;
  /** This session's transcript, once it exists; null while it does not (yet). */
  findTranscript(query: TranscriptQuery, prepared: unknown): Promise<TranscriptSource | null>;
  /**
   * Whether a transcript path the agent's own hook reported is this session's (absent: always). An agent
   * can report another conversation's file (Claude Code reports the parent's in a fork).
   */
  acceptsReportedTranscript?(path: string, query: TranscriptQuery): boolean;
}
