// What this clone has uploaded to its team server: per server and session, the size of each file
// the server acknowledged and the record it holds. The spool stays the source of truth until a
// session is finished and every byte of it is acknowledged; `sdd sessions` marks the others.

import { join } from 'node:path';
import type { SessionRecord } from '../core/session.js';
import type { SessionFileInfo } from '../core/session-store.js';
import { JsonDocument } from '../store/json-document.js';

interface LedgerData {
  version: 1;
  /** server URL -> session id -> what it acknowledged. */
  servers: Record<string, Record<string, { files: Record<string, number>; record: string; at: string }>>;
}

export class UploadLedger {
  private readonly document: JsonDocument<LedgerData>;

  constructor(projectRoot: string) {
    this.document = new JsonDocument<LedgerData>(join(projectRoot, '.sdd', 'local', 'uploads.json'), {
      empty: () => ({ version: 1, servers: {} }),
      // A damaged ledger only means sessions look pending: the next sync asks the server and rewrites it.
      check: (data) =>
        data.version === 1 && typeof data.servers === 'object' ? data : { version: 1, servers: {} },
    });
  }

  async record(server: string, record: SessionRecord, files: Record<string, number>): Promise<void> {
    await this.document.update((data) => {
      data.servers[server] ??= {};
      data.servers[server][record.id] = {
        files,
        record: JSON.stringify(record),
        at: new Date().toISOString(),
      };
    });
  }

  /** Whether the server holds all of the session as the spool has it now. */
  async isUploaded(server: string, record: SessionRecord, files: SessionFileInfo[]): Promise<boolean> {
    const entry = (await this.document.read()).servers[server]?.[record.id];
    if (!entry || entry.record !== JSON.stringify(record)) return false;
    return files.every((f) => (entry.files[f.name] ?? -1) === f.size);
  }
}
