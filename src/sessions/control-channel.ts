// How commands run inside a live session (`sdd mark`, `sdd checkpoint`) reach the sdd that records
// it: one JSON request and one JSON answer over a Unix socket beside the session.

import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SddError } from '../core/errors.js';

export type ControlRequest =
  | { type: 'mark'; label: string }
  | { type: 'checkpoint'; message: string; trigger?: 'manual' | 'turn' }
  /** An agent's hook reporting where its transcript is. */
  | { type: 'transcript'; path: string }
  /** The recording's clock now (seconds since its start): the time a decision is stored with. */
  | { type: 'clock' }
  /** `sdd mcp` reporting a tool call; the recorder redacts and writes it as a ToolCallEvent. */
  | { type: 'tool-call'; tool: string; input: string; ok: boolean; error?: string }
  /** `sdd mcp` reporting a decision it stored, at the session time it was stored with. */
  | { type: 'decision'; decisionId: string; question: string; choice: string; time: number };
export type ControlAnswer =
  | { ok: true; result: unknown }
  | { ok: false; error: { code: string; message: string } };

/** Unix socket paths are limited to about 100 bytes; deep project folders fall back to the temp folder. */
export function controlSocketPath(sessionFolder: string, sessionId: string): string {
  const beside = join(sessionFolder, 'control.sock');
  return beside.length < 100 ? beside : join(tmpdir(), `sdd-${sessionId}.sock`);
}

export function serveControl(
  path: string,
  handle: (request: ControlRequest) => Promise<unknown>,
): Promise<Server> {
  rmSync(path, { force: true });
  const server = createServer((socket) => {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      const line = buffered.slice(0, newline);
      buffered = '';
      void answer(line).then((reply) => socket.end(`${JSON.stringify(reply)}\n`));
    });
    socket.on('error', () => undefined);
  });
  const answer = async (line: string): Promise<ControlAnswer> => {
    try {
      return { ok: true, result: await handle(JSON.parse(line) as ControlRequest) };
    } catch (error) {
      const e = error as SddError;
      return { ok: false, error: { code: e.code ?? 'INTERNAL', message: e.message } };
    }
  };
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      // only the owner may connect, also where the socket falls back to the shared temp folder
      chmodSync(path, 0o600);
      resolve(server);
    });
  });
}

export function closeControl(server: Server, path: string): Promise<void> {
  return new Promise((resolve) =>
    server.close(() => {
      rmSync(path, { force: true });
      resolve();
    }),
  );
}

export function sendControl(path: string, request: ControlRequest, timeoutMs = 30_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let reply = '';
    const timer = setTimeout(() => socket.destroy(new Error('no answer from the recording sdd')), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk) => {
      reply += chunk;
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(new SddError('NOT_FOUND', `The session is not being recorded right now (${error.message}).`));
    });
    socket.on('end', () => {
      clearTimeout(timer);
      try {
        const answer = JSON.parse(reply) as ControlAnswer;
        if (answer.ok) resolve(answer.result);
        else reject(new SddError(answer.error.code as never, answer.error.message));
      } catch {
        reject(new SddError('INTERNAL', 'The recording sdd gave an answer that is not JSON.'));
      }
    });
  });
}
