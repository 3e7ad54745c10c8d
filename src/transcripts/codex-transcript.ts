// Reads a Codex CLI rollout ($CODEX_HOME/sessions/YYYY/MM/DD/rollout-<time>-<uuid>.jsonl) into the normal
// form: {timestamp, type, payload} lines, or the older bare lines written before session_meta existed.

import type { Transcript, TranscriptEntry } from '../core/transcript.js';
import { type ItemContext, responseItemEntries } from './codex-response-item.js';
import {
  isObject,
  isoTime,
  type JsonObject,
  type NumberedLine,
  numberedLines,
  parseJsonObject,
  stringField,
  unknownEntry,
} from './transcript-lines.js';

/**
 * event_msg lines mostly repeat what response_item lines already hold (the user's and the agent's messages,
 * reasoning, command begin/end, patches) or are telemetry (token counts, turn start/end). Those are skipped:
 * the response items are the conversation the model saw, so they are the one copy shown.
 */
const REPEATED_EVENTS = new Set([
  'user_message',
  'agent_message',
  'agent_message_delta',
  'agent_reasoning',
  'agent_reasoning_delta',
  'agent_reasoning_raw_content',
  'agent_reasoning_section_break',
  'token_count',
  'task_started',
  'task_complete',
  'turn_started',
  'turn_complete',
  'exec_command_begin',
  'exec_command_output_delta',
  'exec_command_end',
  'patch_apply_begin',
  'patch_apply_end',
  'mcp_tool_call_begin',
  'mcp_tool_call_end',
  'web_search_begin',
  'web_search_end',
  'view_image_tool_call',
  'turn_diff',
  'plan_update',
  'item_started',
  'item_completed',
  'context_compacted',
]);

/** Events that say something no response item does: the harness speaking, shown as system entries. */
const HARNESS_EVENTS = new Set(['error', 'warning', 'stream_error', 'turn_aborted', 'background_event']);

export function parseCodexTranscript(text: string, file: string): Transcript {
  const entries: TranscriptEntry[] = [];
  let conversationId: string | null = null;
  let model: string | null = null;

  for (const line of numberedLines(text)) {
    const record = parseJsonObject(line.text);
    if (!record) {
      entries.push(unknownEntry(line, file));
      continue;
    }
    const type = stringField(record, 'type');
    const time = isoTime(record.timestamp);
    const context: ItemContext = { file, line: line.number, time, model };

    if (isObject(record.payload) && type !== null) {
      const payload = record.payload;
      if (type === 'session_meta') {
        conversationId ??= stringField(payload, 'id');
        model = stringField(payload, 'model') ?? model;
      } else if (type === 'turn_context') {
        // The model can change between turns (/model): it holds for the entries that follow.
        model = stringField(payload, 'model') ?? model;
      } else if (type === 'response_item') {
        entries.push(...(responseItemEntries(payload, context) ?? [unknownEntry(line, file, time)]));
      } else if (type === 'event_msg') {
        entries.push(...eventEntries(payload, line, context));
      } else if (type === 'compacted') {
        const message = stringField(payload, 'message');
        entries.push(
          systemEntry(
            message ? `Conversation compacted; summary:\n${message}` : 'Conversation compacted',
            context,
          ),
        );
      } else {
        entries.push(unknownEntry(line, file, time));
      }
      continue;
    }
    entries.push(
      ...oldRolloutLine(record, line, context, () => {
        conversationId ??= stringField(record, 'id');
      }),
    );
  }
  return { agent: 'codex', conversationId, entries };
}

/** Rollouts written before the envelope: a bare {id, timestamp, instructions} first line, state markers, bare items. */
function oldRolloutLine(
  record: JsonObject,
  line: NumberedLine,
  context: ItemContext,
  takeSessionId: () => void,
): TranscriptEntry[] {
  if (stringField(record, 'type') === null && stringField(record, 'id') !== null && 'timestamp' in record) {
    takeSessionId();
    return [];
  }
  if (stringField(record, 'record_type') === 'state') return [];
  return responseItemEntries(record, context) ?? [unknownEntry(line, context.file, context.time)];
}

function eventEntries(payload: JsonObject, line: NumberedLine, context: ItemContext): TranscriptEntry[] {
  const type = stringField(payload, 'type');
  if (type !== null && REPEATED_EVENTS.has(type)) return [];
  if (type !== null && HARNESS_EVENTS.has(type)) {
    const detail = stringField(payload, 'message') ?? stringField(payload, 'reason');
    return [systemEntry(detail ? `${type}: ${detail}` : type, context)];
  }
  return [unknownEntry(line, context.file, context.time)];
}

function systemEntry(text: string, context: ItemContext): TranscriptEntry {
  return {
    kind: 'system',
    time: context.time,
    model: null,
    text,
    source: { file: context.file, line: context.line },
  };
}
