// `sdd watch` against a team server: one WebSocket to the session's live route, reconnected until the
// session ends. A reconnect asks for the bytes after the last one received (`from`), so nothing is
// shown twice; after being dropped as too slow it asks for a fresh snapshot instead.

import WebSocket from 'ws';
import { CLOSE_TOO_SLOW, decodeFrame, liveUrl, type WatcherMessage } from '../api/live-frames.js';
import { type SddError, sddErrorFromJSON, UnreachableError } from '../core/errors.js';
import type { SessionRecord } from '../core/session.js';
import { connectionOf, requestJson } from './http-json.js';

export interface LiveSessionInfo {
  id: string;
  watchers: number;
  here: boolean;
  since: string;
  record: SessionRecord | null;
}

export function listLiveSessions(options: {
  url: string;
  token: string | null;
  projectId: string;
}): Promise<LiveSessionInfo[]> {
  return requestJson(connectionOf(options), {
    method: 'GET',
    path: `/api/v1/projects/${encodeURIComponent(options.projectId)}/live`,
  });
}

export interface WatchHandlers {
  snapshot(message: Extract<WatcherMessage, { type: 'snapshot' }>): void;
  /** Cast bytes, in order, without repeats (a line may be cut between two calls). */
  bytes(lines: Buffer): void;
  /** Said once per lost connection (the watch goes on). */
  reconnecting?(why: string): void;
  /** A chance to hold the socket back while output cannot keep up; call resume() to go on. */
  wantsPause?(): { resume: Promise<void> } | null;
}

// Without a connection for this long (the server down and not back), the watch gives up.
const GIVE_UP_MS = 60_000;
const FIRST_RETRY_MS = 200;
const LAST_RETRY_MS = 3000;

/**
 * Why a watch ended: the session finished (or stopped publishing) while watched, or it finished while
 * the watch was reconnecting, so that its end was not seen (`finished-unseen`).
 */
export type WatchEnd = 'finished' | 'lost' | 'finished-unseen';

/** Watches until the session ends; resolves with why it ended, rejects on a refusal (401, 404, NOT_LIVE). */
export async function watchLive(
  options: { url: string; token: string | null; projectId: string; session: string },
  handlers: WatchHandlers,
): Promise<WatchEnd> {
  let offset: number | null = null;
  let retryMs = FIRST_RETRY_MS;
  let lastConnected = Date.now();
  let fresh = true;
  let connected = false;
  for (;;) {
    const outcome = await connectOnce(options, fresh ? null : offset, handlers, (at) => {
      offset = at;
      lastConnected = Date.now();
      retryMs = FIRST_RETRY_MS;
      connected = true;
    });
    if (outcome.kind === 'end') return outcome.reason;
    // Dropped as too slow (or cut off) just before the session ended: the server no longer has it live.
    if (outcome.kind === 'refused' && connected && (outcome.error as SddError).code === 'NOT_LIVE')
      return 'finished-unseen';
    if (outcome.kind === 'refused') throw outcome.error;
    fresh = outcome.kind === 'slow' || offset === null;
    if (Date.now() - lastConnected > GIVE_UP_MS) {
      throw new UnreachableError(
        `Lost the live session at ${options.url} for over ${GIVE_UP_MS / 1000} s (${outcome.why}); \`sdd watch\` again when the server is back.`,
      );
    }
    handlers.reconnecting?.(outcome.why);
    await new Promise((resolve) => setTimeout(resolve, retryMs));
    retryMs = Math.min(LAST_RETRY_MS, retryMs * 2);
  }
}

type Outcome =
  | { kind: 'end'; reason: 'finished' | 'lost' }
  | { kind: 'refused'; error: Error }
  | { kind: 'slow'; why: string }
  | { kind: 'lost'; why: string };

function connectOnce(
  options: { url: string; token: string | null; projectId: string; session: string },
  from: number | null,
  handlers: WatchHandlers,
  progress: (offset: number) => void,
): Promise<Outcome> {
  const url =
    liveUrl(options.url, options.projectId, options.session) + (from === null ? '' : `?from=${from}`);
  let at = from ?? 0;
  let ended: Outcome | null = null;
  return new Promise<Outcome>((resolve) => {
    const socket = new WebSocket(url, {
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
      handshakeTimeout: 10_000,
      perMessageDeflate: false,
    });
    socket.on('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        let error: Error;
        try {
          error = sddErrorFromJSON(JSON.parse(Buffer.concat(chunks).toString('utf8')).error);
        } catch {
          error = new UnreachableError(
            `${options.url} answered ${response.statusCode}; is it an sdd server?`,
          );
        }
        // A server that is starting or stopping answers 503: that is worth another try.
        resolve(
          response.statusCode === 503
            ? { kind: 'lost', why: 'the server is busy' }
            : { kind: 'refused', error },
        );
        socket.terminate();
      });
    });
    socket.on('open', () => progress(at));
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        const frame = decodeFrame(data);
        if (!frame) return;
        const end = frame.offset + frame.lines.length;
        if (end <= at) return;
        const lines = frame.offset < at ? frame.lines.subarray(at - frame.offset) : frame.lines;
        at = end;
        progress(at);
        handlers.bytes(lines);
        const pause = handlers.wantsPause?.();
        if (pause) {
          socket.pause();
          void pause.resume.then(() => socket.resume());
        }
        return;
      }
      const message = JSON.parse(data.toString('utf8')) as WatcherMessage;
      if (message.type === 'snapshot') {
        at = message.offset;
        progress(at);
        handlers.snapshot(message);
      } else if (message.type === 'end') ended = { kind: 'end', reason: message.reason };
    });
    socket.on('error', () => undefined);
    socket.on('close', (code, reason) => {
      if (ended) resolve(ended);
      else if (code === CLOSE_TOO_SLOW) resolve({ kind: 'slow', why: reason.toString() || 'too slow' });
      else resolve({ kind: 'lost', why: reason.toString() || `connection closed (${code})` });
    });
  });
}
