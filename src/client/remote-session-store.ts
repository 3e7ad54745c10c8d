// A project's sessions on a team server, over HTTP: each SessionStore call is one request. File
// bytes travel raw (application/octet-stream); an append refused for its offset comes back as
// OFFSET_MISMATCH with the size the server holds in `details.held`, as from any other store.

import type { SessionRecord } from '../core/session.js';
import type { SessionFileInfo, SessionFilter, SessionStore } from '../core/session-store.js';
import { connectionOf, queryString, requestBytes, requestJson, type ServerConnection } from './http-json.js';

/** Set on a read's answer that the server cut at its limit: there may be more from where it ended. */
export const SESSION_READ_CAPPED_HEADER = 'x-sdd-read-capped';

export class RemoteSessionStore implements SessionStore {
  private readonly base: string;
  private readonly connection: ServerConnection;

  constructor(options: { url: string; projectId: string; token: string | null; timeoutMs?: number }) {
    this.connection = connectionOf(options);
    this.base = `/api/v1/projects/${encodeURIComponent(options.projectId)}/sessions`;
  }

  private session(id: string, rest = ''): string {
    return `${this.base}/${encodeURIComponent(id)}${rest}`;
  }

  /** One path segment: transcript/chat.jsonl goes as transcript%2Fchat.jsonl. */
  private file(id: string, name: string): string {
    return this.session(id, `/files/${encodeURIComponent(name)}`);
  }

  list(filter: SessionFilter = {}): Promise<SessionRecord[]> {
    return requestJson(this.connection, {
      method: 'GET',
      path: this.base + queryString({ itemId: filter.itemId, status: filter.status, limit: filter.limit }),
    });
  }

  get(id: string): Promise<SessionRecord> {
    return requestJson(this.connection, { method: 'GET', path: this.session(id) });
  }

  async putRecord(record: SessionRecord): Promise<void> {
    await requestJson(this.connection, { method: 'PUT', path: this.session(record.id), body: record });
  }

  listFiles(id: string): Promise<SessionFileInfo[]> {
    return requestJson(this.connection, { method: 'GET', path: this.session(id, '/files') });
  }

  /** One request, unless the server answers the range in parts (it caps each answer): then one per part. */
  async readFile(id: string, name: string, offset = 0, length?: number): Promise<Uint8Array> {
    const parts: Buffer[] = [];
    let at = offset;
    let left = length;
    for (;;) {
      const { bytes, headers } = await requestBytes(this.connection, {
        method: 'GET',
        path: this.file(id, name) + queryString({ offset: at, length: left }),
      });
      parts.push(bytes);
      at += bytes.length;
      if (left !== undefined) left -= bytes.length;
      // The server says when it stopped at its limit rather than at the end of the range or file.
      if (headers[SESSION_READ_CAPPED_HEADER] === undefined || bytes.length === 0 || left === 0) break;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  async appendFile(id: string, name: string, offset: number, bytes: Uint8Array): Promise<number> {
    const { bytes: answer } = await requestBytes(this.connection, {
      method: 'POST',
      path: this.file(id, name) + queryString({ offset }),
      body: bytes,
    });
    return (JSON.parse(answer.toString('utf8')) as { size: number }).size;
  }
}
