// What the recorder does with the requests `sdd mcp` sends over the control channel: tell the
// recording's clock, and write the agent's tool calls and decisions into the session's events,
// redacted like everything else the session keeps.

import type { DecisionEvent, ToolCallEvent } from '../core/session.js';
import type { ControlRequest } from './control-channel.js';

type McpRequest = Extract<ControlRequest, { type: 'clock' | 'tool-call' | 'decision' }>;

export interface McpRequestSink {
  elapsed(): number;
  /** Appends an event at `time` (now when absent). */
  event(
    fields: Omit<ToolCallEvent, 'time' | 'at'> | Omit<DecisionEvent, 'time' | 'at'>,
    time?: number,
  ): Promise<void>;
  redact(text: string): string;
}

/** An input is kept short: the event says what was asked, the tracker keeps the whole of it. */
export const TOOL_INPUT_LIMIT = 500;

export function isMcpRequest(request: ControlRequest): request is McpRequest {
  return request.type === 'clock' || request.type === 'tool-call' || request.type === 'decision';
}

export async function handleMcpRequest(request: McpRequest, sink: McpRequestSink): Promise<{ time: number }> {
  if (request.type === 'clock') return { time: sink.elapsed() };
  if (request.type === 'tool-call') {
    const time = sink.elapsed();
    await sink.event({
      type: 'tool-call',
      tool: sink.redact(String(request.tool)).slice(0, 100),
      input: shorten(sink.redact(String(request.input ?? ''))),
      ok: request.ok === true,
      ...(request.error !== undefined && { error: shorten(sink.redact(String(request.error))) }),
    });
    return { time };
  }
  const time = Number.isFinite(request.time) && request.time >= 0 ? request.time : sink.elapsed();
  await sink.event(
    {
      type: 'decision',
      decisionId: String(request.decisionId),
      question: sink.redact(String(request.question)),
      choice: sink.redact(String(request.choice)),
    },
    time,
  );
  return { time };
}

function shorten(text: string): string {
  return text.length <= TOOL_INPUT_LIMIT ? text : `${text.slice(0, TOOL_INPUT_LIMIT - 1)}…`;
}
