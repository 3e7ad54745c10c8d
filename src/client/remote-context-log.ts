// A project's team context on a team server, over HTTP: each ContextLog call is one request, and a
// stale edit comes back as the same VERSION_CONFLICT a local store throws.

import type {
  ContextLog,
  ContextVersion,
  ContextVersionInfo,
  PutContextResult,
} from '../core/context-log.js';
import { connectionOf, queryString, requestJson, type ServerConnection } from './http-json.js';

export class RemoteContextLog implements ContextLog {
  private readonly base: string;
  private readonly connection: ServerConnection;

  constructor(options: { url: string; projectId: string; token: string | null; timeoutMs?: number }) {
    this.connection = connectionOf(options);
    this.base = `/api/v1/projects/${encodeURIComponent(options.projectId)}/context`;
  }

  private doc(name: string, rest = ''): string {
    return `${this.base}/${encodeURIComponent(name)}${rest}`;
  }

  listContext(): Promise<ContextVersion[]> {
    return requestJson(this.connection, { method: 'GET', path: this.base });
  }

  getContext(name: string, version?: number): Promise<ContextVersion> {
    return requestJson(this.connection, { method: 'GET', path: this.doc(name) + queryString({ version }) });
  }

  contextHistory(name: string): Promise<ContextVersionInfo[]> {
    return requestJson(this.connection, { method: 'GET', path: this.doc(name, '/versions') });
  }

  putContext(name: string, text: string, actor: string, basedOn: number): Promise<PutContextResult> {
    return requestJson(this.connection, {
      method: 'PUT',
      path: this.doc(name),
      body: { text, basedOn, actor },
    });
  }
}
