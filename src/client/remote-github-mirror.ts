// The GitHub mirror's state on a team server, for a sync run in a clone (its own GITHUB_TOKEN),
// and the server's own sync, run there with the server's token.

import type { GithubMirrorChange, GithubMirrorState, GithubMirrorStore } from '../core/github-mirror.js';
import type { SyncSummary } from '../github/mirror-sync.js';
import { connectionOf, requestJson, type ServerConnection } from './http-json.js';

export class RemoteGithubMirror implements GithubMirrorStore {
  private readonly connection: ServerConnection;
  private readonly path: string;

  constructor(options: { url: string; projectId: string; token: string | null; timeoutMs?: number }) {
    this.connection = connectionOf(options);
    this.path = `/api/v1/projects/${encodeURIComponent(options.projectId)}/github`;
  }

  /** The state, and whether the server holds a GitHub token of its own. */
  async readWithServer(): Promise<GithubMirrorState & { serverToken: boolean }> {
    return requestJson(this.connection, { method: 'GET', path: this.path });
  }

  async read(): Promise<GithubMirrorState> {
    const { serverToken: _serverToken, ...state } = await this.readWithServer();
    return state;
  }

  write(change: GithubMirrorChange): Promise<GithubMirrorState> {
    return requestJson(this.connection, { method: 'POST', path: this.path, body: change });
  }

  syncOnServer(request: { epic?: string; dryRun?: boolean }): Promise<SyncSummary> {
    return requestJson(this.connection, { method: 'POST', path: `${this.path}/sync`, body: request });
  }
}
