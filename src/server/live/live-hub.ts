// The live sessions of one server process: publishers (`sdd run`) feed them, watchers (`sdd watch`)
// join them, and with several processes on one database the relay carries each session's bytes to
// the others, so a watcher on any process sees a session published through any other.

import type WebSocket from 'ws';
import { decodeFrame } from '../../api/live-frames.js';
import type { LiveRelay, LiveRelayMessage } from '../../core/live-relay.js';
import type { SessionStore } from '../../core/session-store.js';
import type { TeamStore } from '../../core/team-store.js';
import { type CastSource, LiveSession } from './live-session.js';
import { LiveWatcher } from './live-watcher.js';

const CAST = 'terminal.cast';
// A publisher beats this often on the relay; a session not heard of for BEAT_LAPSE_MS is not live.
const BEAT_MS = 2000;
const BEAT_LAPSE_MS = 10_000;
// A session whose publisher went away (without saying the recording ended) waits this long for it.
const LOST_AFTER_MS = 60_000;

export interface LiveInfo {
  id: string;
  /** Watchers connected to this process. */
  watchers: number;
  /** Whether its publisher is connected to this process (else to another one). */
  here: boolean;
  since: string;
}

export class LiveHub {
  private readonly sessions = new Map<string, LiveSession>();
  /** Sessions published through other processes: key -> last heard (epoch ms). */
  private readonly elsewhere = new Map<string, number>();
  /** Sessions published here that another process has watchers of: key -> last asked (epoch ms). */
  private readonly wanted = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly team: TeamStore,
    private readonly relay: LiveRelay | null,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    relay?.onMessage((message) => this.fromRelay(message));
    this.timer = setInterval(() => this.tick(), BEAT_MS);
    this.timer.unref();
  }

  /** A publisher's socket for a session of a project the caller may record in. */
  publish(project: string, id: string, socket: WebSocket): void {
    const session = this.sessionFor(project, id, false);
    session.publishers++;
    this.log(`LIVE publish ${id} (at ${session.next})`);
    this.beat(session);
    let frames = 0;
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        frames++;
        const frame = decodeFrame(data);
        if (frame) session.receive(frame.offset, frame.lines);
        return;
      }
      let message: { type?: unknown };
      try {
        message = JSON.parse(data.toString('utf8'));
      } catch {
        return;
      }
      if (message.type === 'end') this.endSession(session, 'finished');
    });
    socket.on('close', () => {
      this.log(`LIVE publisher gone ${id} (at ${session.next}, ${frames} frames)`);
      session.publishers--;
      session.lastSeen = Date.now();
    });
  }

  /** A watcher's socket; `from` is the offset it has seen up to, when it reconnects. */
  watch(project: string, id: string, socket: WebSocket, from: number | null): void {
    const session = this.sessionFor(project, id, true);
    this.log(`LIVE watch ${id}${from === null ? '' : ` from ${from}`} (at ${session.next})`);
    const watcher = new LiveWatcher(socket, id, () => session.leave(watcher));
    session.join(watcher, from);
    if (session.publishers === 0) this.want(session);
  }

  /** Whether the session's publisher is connected to this process or (lately heard of) another. */
  isLive(project: string, id: string): boolean {
    const key = keyOf(project, id);
    const here = this.sessions.get(key);
    if (here && !here.ended && here.publishers > 0) return true;
    return Date.now() - (this.elsewhere.get(key) ?? 0) < BEAT_LAPSE_MS;
  }

  /** Sessions live now: published through this process or, lately heard of, through another. */
  list(project: string): LiveInfo[] {
    const out = new Map<string, LiveInfo>();
    const now = Date.now();
    for (const [key, heard] of this.elsewhere) {
      const [p, id] = splitKey(key);
      if (p === project && now - heard < BEAT_LAPSE_MS)
        out.set(id, { id, watchers: 0, here: false, since: new Date(heard).toISOString() });
    }
    for (const session of this.sessions.values()) {
      if (session.project !== project || session.ended) continue;
      const elsewhere = out.get(session.id);
      if (session.publishers > 0 || elsewhere) {
        out.set(session.id, {
          id: session.id,
          watchers: session.watcherCount,
          here: session.publishers > 0,
          since: session.since,
        });
      }
    }
    return [...out.values()].sort((a, b) => b.id.localeCompare(a.id));
  }

  /** Ids of live sessions of a project, for resolving what `sdd watch` was given. */
  liveIds(project: string): string[] {
    return this.list(project).map((l) => l.id);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.sessions.clear();
    await this.relay?.close();
  }

  private sessionFor(project: string, id: string, forWatcher: boolean): LiveSession {
    const key = keyOf(project, id);
    let session = this.sessions.get(key);
    if (session && !session.ended) return session;
    const store = this.team.sessionStore(project);
    session = new LiveSession(project, id, castSource(store, id), (offset, lines) => {
      // Bytes that came from this process's publisher go on to the other processes.
      if (session!.publishers > 0)
        this.relay?.publish({ kind: 'frame', project, session: id, offset, lines });
    });
    this.sessions.set(key, session);
    // A watcher may come before the publisher (or on another process than it): start from the upload.
    if (forWatcher) session.catchUp();
    return session;
  }

  private endSession(session: LiveSession, reason: 'finished' | 'lost'): void {
    if (session.publishers > 0 && reason === 'finished')
      this.relay?.publish({ kind: 'end', project: session.project, session: session.id });
    session.end(reason);
    const key = keyOf(session.project, session.id);
    if (this.sessions.get(key) === session) this.sessions.delete(key);
    this.elsewhere.delete(key);
  }

  private fromRelay(message: LiveRelayMessage): void {
    if (this.closed) return;
    const key = keyOf(message.project, message.session);
    const session = this.sessions.get(key);
    if (message.kind === 'end') {
      if (session) this.endSession(session, 'finished');
      this.elsewhere.delete(key);
      return;
    }
    if (message.kind === 'want') {
      this.wanted.set(key, Date.now());
      return;
    }
    this.elsewhere.set(key, Date.now());
    if (!session || session.publishers > 0) return;
    session.lastSeen = Date.now();
    if (message.kind === 'frame') {
      const lines = message.lines;
      session.receive(message.offset, Buffer.from(lines.buffer, lines.byteOffset, lines.byteLength));
    }
  }

  /** A session nobody publishes whose record says it is over: its watchers get the rest and the end. */
  private async endIfFinished(session: LiveSession): Promise<void> {
    const record = await this.team
      .sessionStore(session.project)
      .get(session.id)
      .catch(() => null);
    if (!record || record.status === 'running' || session.publishers > 0) return;
    session.finishFromStore();
    const key = keyOf(session.project, session.id);
    if (this.sessions.get(key) === session) this.sessions.delete(key);
  }

  /** Asks the process that holds the publisher to relay the session's bytes (again, every beat). */
  private want(session: LiveSession): void {
    this.relay?.publish({ kind: 'want', project: session.project, session: session.id });
  }

  private beat(session: LiveSession): void {
    this.relay?.publish({ kind: 'beat', project: session.project, session: session.id, next: session.next });
  }

  /** Beats for the sessions published here; sessions whose publisher is long gone end as lost. */
  private tick(): void {
    const now = Date.now();
    for (const session of [...this.sessions.values()]) {
      const key = keyOf(session.project, session.id);
      session.tick();
      if (session.publishers > 0) {
        this.beat(session);
        continue;
      }
      if (session.watcherCount > 0) this.want(session);
      if (!this.isLive(session.project, session.id) && session.watcherCount > 0)
        void this.endIfFinished(session);
      if (now - Math.max(session.lastSeen, this.elsewhere.get(key) ?? 0) > LOST_AFTER_MS)
        this.endSession(session, 'lost');
      else if (session.watcherCount === 0 && now - session.lastSeen > BEAT_LAPSE_MS) {
        // Nobody watches it here and its publisher is elsewhere or gone: nothing to keep.
        this.sessions.delete(key);
        session.end('lost');
      }
    }
    for (const [key, heard] of this.elsewhere) if (now - heard > LOST_AFTER_MS) this.elsewhere.delete(key);
    for (const [key, asked] of this.wanted) if (now - asked > BEAT_LAPSE_MS) this.wanted.delete(key);
  }
}

function keyOf(project: string, id: string): string {
  return `${project}\n${id}`;
}

function splitKey(key: string): [string, string] {
  const at = key.indexOf('\n');
  return [key.slice(0, at), key.slice(at + 1)];
}

/** The session's upload, where gaps in the live stream are read from. */
function castSource(store: SessionStore, id: string): CastSource {
  return {
    async size() {
      const files = await store.listFiles(id);
      return files.find((f) => f.name === CAST)?.size ?? 0;
    },
    read: (offset, length) => store.readFile(id, CAST, offset, length),
  };
}
