// What session search reads, as passages of plain text with their moment in the recording: the lines
// the terminal showed (a cast's output with its escape sequences gone), the transcript's messages, the
// markers and notes of events.jsonl, and the item's notes. Pure: text in, passages out.

import type { SessionEvent, SessionRecord } from './session.js';
import type { TranscriptEntry } from './transcript.js';
import type { Note } from './types.js';

export type SearchSource = 'transcript' | 'terminal' | 'marker' | 'note';

export interface SearchPassage {
  source: SearchSource;
  /** One line: whitespace runs are one space. */
  text: string;
  /** Seconds into the recording at which it had been shown or said; null when not known. */
  time: number | null;
  /** What kind of passage within its source: the transcript entry's kind, "claim", "item note"... */
  kind?: string;
}

/** A line longer than this is cut into pieces: a TUI that never sends a newline still makes lines. */
const MAX_LINE_CHARS = 2000;

/** One line of text, as it will be matched and shown. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The lines an asciicast's output put on the terminal, each with the moment it was complete, in
 * order; a line shown again (a TUI redrawing its screen) is kept once, at its first showing. Cursor
 * moves become spaces or line ends, so words a TUI placed apart stay apart. Lines that are not JSON
 * (a torn last line) are skipped; input events are not terminal text.
 */
export function terminalLines(castText: string): SearchPassage[] {
  const reader = new CastText();
  reader.push(castText);
  return reader.end();
}

/** terminalLines for a cast read in pieces (a long one is never held whole): push each, then end. */
export class CastText {
  private version: 2 | 3 | null = null;
  private rest = '';
  private clock = 0;
  private broken = false;
  private readonly output = new OutputText();

  push(text: string): void {
    if (this.broken) return;
    const lines = (this.rest + text).split('\n');
    this.rest = lines.pop()!;
    for (const line of lines) this.line(line);
  }

  end(): SearchPassage[] {
    if (this.rest !== '') this.line(this.rest);
    this.rest = '';
    return this.broken ? [] : this.output.end();
  }

  private line(line: string): void {
    if (this.version === null) {
      try {
        const header = JSON.parse(line) as { version?: unknown };
        this.version = header.version === 3 ? 3 : 2;
      } catch {
        this.broken = true; // no header: not a cast
      }
      return;
    }
    if (line === '' || line.charCodeAt(0) !== 0x5b /* [ */) return;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      return;
    }
    if (!Array.isArray(event) || typeof event[0] !== 'number') return;
    this.clock = this.version === 3 ? this.clock + event[0] : event[0];
    if (event[1] === 'o' && typeof event[2] === 'string') this.output.push(event[2], this.clock);
  }
}

const Mode = {
  Text: 0,
  Escape: 1,
  Csi: 2,
  /** OSC, DCS, SOS, PM, APC: skipped to their terminator (BEL or ESC \). */
  Str: 3,
  StrEscape: 4,
  /** ESC ( B and its kin: one more character belongs to the sequence. */
  Charset: 5,
} as const;
type Mode = (typeof Mode)[keyof typeof Mode];

/** A small state machine over the output stream: a sequence split across events is still one. */
class OutputText {
  private mode: Mode = Mode.Text;
  private line = '';
  private csi = '';
  private time = 0;
  private readonly seen = new Set<string>();
  private readonly passages: SearchPassage[] = [];

  push(data: string, time: number): void {
    this.time = time;
    for (let i = 0; i < data.length; i++) {
      const char = data[i]!;
      const code = data.charCodeAt(i);
      switch (this.mode) {
        case Mode.Text:
          if (code === 0x1b) this.mode = Mode.Escape;
          else if (code === 0x0a || code === 0x0d) this.breakLine();
          else if (code === 0x09) this.line += ' ';
          else if (code === 0x08) this.line = this.line.slice(0, -1);
          else if (code === 0x9b) this.startCsi();
          else if (code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code < 0xa0)) {
            this.line += char;
            if (this.line.length >= MAX_LINE_CHARS) this.breakLine();
          }
          break;
        case Mode.Escape:
          if (char === '[') this.startCsi();
          else if (char === ']' || char === 'P' || char === 'X' || char === '^' || char === '_')
            this.mode = Mode.Str;
          else if ('()*+-./#%'.includes(char)) this.mode = Mode.Charset;
          else if (char === 'E' || char === 'D' || char === 'M') {
            this.breakLine(); // next line, index, reverse index
            this.mode = Mode.Text;
          } else this.mode = Mode.Text;
          break;
        case Mode.Csi:
          if (code >= 0x40 && code <= 0x7e) {
            this.endCsi(char);
            this.mode = Mode.Text;
          } else if (code === 0x1b) this.mode = Mode.Escape;
          else this.csi += char;
          break;
        case Mode.Str:
          if (code === 0x07) this.mode = Mode.Text;
          else if (code === 0x1b) this.mode = Mode.StrEscape;
          break;
        case Mode.StrEscape:
          this.mode = char === '\\' ? Mode.Text : Mode.Str;
          break;
        case Mode.Charset:
          this.mode = Mode.Text;
          break;
      }
    }
  }

  end(): SearchPassage[] {
    this.breakLine();
    return this.passages;
  }

  private startCsi(): void {
    this.mode = Mode.Csi;
    this.csi = '';
  }

  /** Moves that start a new row end the line; moves along the row leave a gap between words. */
  private endCsi(final: string): void {
    if ('HfABEFdJ'.includes(final)) this.breakLine();
    else if ((final === 'C' || final === 'G' || final === '`') && !this.line.endsWith(' ')) this.line += ' ';
  }

  private breakLine(): void {
    const text = oneLine(this.line);
    this.line = '';
    if (text === '' || this.seen.has(text)) return;
    this.seen.add(text);
    this.passages.push({ source: 'terminal', text, time: this.time });
  }
}

/** Markers, the messages of checkpoints taken by hand, and the notes of claims and status changes. */
export function eventPassages(events: SessionEvent[]): SearchPassage[] {
  const passages: SearchPassage[] = [];
  for (const event of events) {
    const time = typeof event.time === 'number' ? event.time : null;
    if (event.type === 'marker' && typeof event.label === 'string') {
      passages.push({ source: 'marker', text: oneLine(event.label), time, kind: 'marker' });
    } else if (
      event.type === 'checkpoint' &&
      event.trigger === 'manual' &&
      typeof event.message === 'string'
    ) {
      passages.push({ source: 'marker', text: oneLine(event.message), time, kind: 'checkpoint' });
    } else if ((event.type === 'claim' || event.type === 'status') && typeof event.note === 'string') {
      passages.push({ source: 'note', text: oneLine(event.note), time, kind: event.type });
    }
  }
  return passages.filter((p) => p.text !== '');
}

/** Entries that are the conversation (the harness's meta lines are not); unreadable lines by their raw text. */
export function transcriptPassages(entries: TranscriptEntry[], startedAt: string | null): SearchPassage[] {
  const start = startedAt === null ? Number.NaN : Date.parse(startedAt);
  const passages: SearchPassage[] = [];
  for (const entry of entries) {
    if (entry.kind === 'meta') continue;
    const said =
      entry.kind === 'tool_call'
        ? `${entry.tool?.name ?? ''} ${entry.text}`
        : entry.kind === 'unknown'
          ? (entry.raw ?? entry.text)
          : entry.text;
    const text = oneLine(said);
    if (text === '') continue;
    const at = entry.time === null ? Number.NaN : Date.parse(entry.time);
    const time = Number.isFinite(at) && Number.isFinite(start) ? Math.max(0, (at - start) / 1000) : null;
    passages.push({ source: 'transcript', text, time, kind: entry.kind });
  }
  return passages;
}

type NotedSession = Pick<SessionRecord, 'id' | 'itemId' | 'startedAt' | 'endedAt'>;

/**
 * The notes of the items the sessions worked on, each given to one session of its item: the one
 * running when it was written (with that moment), else the last one started before it, else the first.
 */
export function itemNotePassages(
  sessions: NotedSession[],
  items: { id: string; notes: Note[] }[],
): Map<string, SearchPassage[]> {
  const byItem = new Map<string, NotedSession[]>();
  for (const session of sessions) {
    const list = byItem.get(session.itemId) ?? [];
    list.push(session);
    byItem.set(session.itemId, list);
  }
  const given = new Map<string, SearchPassage[]>();
  for (const item of items) {
    const candidates = byItem.get(item.id);
    if (!candidates || item.notes.length === 0) continue;
    const ordered = [...candidates].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    for (const note of item.notes) {
      const text = oneLine(note.text);
      if (text === '') continue;
      const at = Date.parse(note.at);
      const running = ordered.findLast(
        (s) => Date.parse(s.startedAt) <= at && (s.endedAt === null || at <= Date.parse(s.endedAt)),
      );
      const before = ordered.findLast((s) => Date.parse(s.startedAt) <= at);
      const session = running ?? before ?? ordered[0]!;
      const time = running ? Math.max(0, (at - Date.parse(running.startedAt)) / 1000) : null;
      const list = given.get(session.id) ?? [];
      list.push({ source: 'note', text: `${note.author}: ${text}`, time, kind: 'item note' });
      given.set(session.id, list);
    }
  }
  return given;
}
