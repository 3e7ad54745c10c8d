// What every front end derives from a session's files the same way, wherever the files live: the
// events of events.jsonl, and the checkpoints among them.

import type { CheckpointEvent, SessionEvent } from './session.js';

/** The file names inside a session, as the SessionStore knows them. */
export const SESSION_FILES = {
  cast: 'terminal.cast',
  events: 'events.jsonl',
  prompt: 'prompt.md',
  /** Transcript copies are `transcript/<name>`. */
  transcriptPrefix: 'transcript/',
} as const;

/**
 * The events of an events.jsonl text. Each line is one event, flushed whole; a last line cut short
 * by a crash (or by a read while the recorder writes) is left out, and anything readable before it kept.
 */
export function parseSessionEvents(text: string): SessionEvent[] {
  const events: SessionEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line) as SessionEvent);
    } catch {
      // only the last line can be partial
    }
  }
  return events;
}

/** A session's checkpoints in order: SESSION@N is the N-th of them. */
export function checkpointsOf(events: SessionEvent[]): CheckpointEvent[] {
  return events.filter((e): e is CheckpointEvent => e.type === 'checkpoint');
}
