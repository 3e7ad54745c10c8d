// What one of sdd's MCP tools is, apart from any transport: a name, a one-line description, its
// input as a zod shape, and a function from the call's context and input to the text it answers.

import type { z } from 'zod';
import { InvalidInputError } from '../core/errors.js';
import type { Service } from '../core/service.js';

/** The live session `sdd mcp` runs in, as far as the tools need it (see session-link.ts). */
export interface SessionLink {
  id: string;
  /** The recording's clock: seconds since the session began. */
  clock(): Promise<number>;
  mark(label: string): Promise<{ time: number }>;
  /** The checkpoint's commit, or null when nothing changed since the last one. */
  checkpoint(message: string): Promise<{ commit: string } | null>;
  toolCall(call: { tool: string; input: string; ok: boolean; error?: string }): Promise<void>;
  decision(event: { decisionId: string; question: string; choice: string; time: number }): Promise<void>;
}

export interface ToolContext {
  service: Service;
  /** Who acts: the session's actor inside `sdd run`, the configured one outside. */
  actor: string;
  /** The task being worked on: the session's item, or --task; null when neither. */
  task: string | null;
  session: SessionLink | null;
  projectRoot: string;
}

export interface SddTool<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  description: string;
  input: S;
  run(context: ToolContext, input: z.infer<z.ZodObject<S>>): Promise<string>;
}

/** Keeps each tool's input type while the list holds tools of every shape. */
export function tool<S extends z.ZodRawShape>(definition: SddTool<S>): SddTool {
  return definition as unknown as SddTool;
}

/** The item a tool acts on: the one given, else the current task, else an error that says what to pass. */
export function refOrTask(context: ToolContext, ref: string | undefined, field = 'ref'): string {
  const chosen = ref?.trim() || context.task;
  if (!chosen) {
    throw new InvalidInputError(
      `No current task (not inside \`sdd run\`, no --task): pass ${field}, an item id like sd-12 or a task ref like T012.`,
    );
  }
  return chosen;
}
