// A team server's context documents in its data folder: context/<project>.json holds every version of
// every document. A put runs under the file's lock, so two teammates saving at once get one version
// each or a conflict, never a lost edit.

import {
  type ContextLog,
  type ContextVersion,
  type ContextVersionInfo,
  checkBasedOn,
  checkContextName,
  checkContextText,
  checkVersion,
  contextNotFound,
  nextContextVersion,
  type PutContextResult,
} from '../../core/context-log.js';
import { InvalidInputError } from '../../core/errors.js';
import { damagedFileError } from '../backup.js';
import { JsonDocument } from '../json-document.js';

interface ContextData {
  schema: 1;
  /** Oldest first, all documents together. */
  versions: ContextVersion[];
}

export class LowdbContextLog implements ContextLog {
  private readonly file: JsonDocument<ContextData>;

  constructor(
    path: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.file = new JsonDocument<ContextData>(path, {
      empty: () => ({ schema: 1, versions: [] }),
      check: (data) => checkContextData(data, path),
      keepSnapshot: true,
    });
  }

  async listContext(): Promise<ContextVersion[]> {
    const latest = new Map<string, ContextVersion>();
    for (const version of (await this.file.read()).versions) latest.set(version.name, version);
    return [...latest.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async getContext(name: string, version?: number): Promise<ContextVersion> {
    checkContextName(name);
    if (version !== undefined) checkVersion(version);
    const versions = (await this.file.read()).versions.filter((v) => v.name === name);
    const found =
      version === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === version);
    if (!found) throw contextNotFound(name, version);
    return found;
  }

  async contextHistory(name: string): Promise<ContextVersionInfo[]> {
    checkContextName(name);
    const versions = (await this.file.read()).versions.filter((v) => v.name === name);
    if (versions.length === 0) throw contextNotFound(name);
    return versions.map(({ text: _text, ...info }) => info);
  }

  async putContext(name: string, text: string, actor: string, basedOn: number): Promise<PutContextResult> {
    checkContextName(name);
    checkContextText(name, text);
    checkBasedOn(basedOn);
    return this.file.update((data) => {
      const versions = data.versions.filter((v) => v.name === name);
      const result = nextContextVersion(versions, name, text, actor, basedOn, this.clock().toISOString());
      if (result.created) data.versions.push(result.version);
      return result;
    });
  }
}

async function checkContextData(data: ContextData, path: string): Promise<ContextData> {
  if (typeof data.schema === 'number' && data.schema !== 1) {
    throw new InvalidInputError(`${path} is from another version of sdd (schema ${data.schema}).`);
  }
  if (data.schema !== 1 || !Array.isArray(data.versions)) {
    throw await damagedFileError(path, 'it is not an sdd context file: no schema or versions');
  }
  return data;
}
