// The transcript copier with a reported path: a report the adapter says is another conversation's is not
// taken, and a reported file that is not there yet does not stop the search for this session's own.

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TranscriptCopier } from '../../../recorders/transcript/transcript-copier.js';
import type { AgentAdapter, TranscriptQuery } from '../../../src/core/agent.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

describe('TranscriptCopier and a reported path', () => {
  let dir: { path: string; remove(): Promise<void> };
  let own: string;
  let query: TranscriptQuery;

  beforeEach(async () => {
    dir = await makeTempDir();
    own = join(dir.path, 'own.jsonl');
    query = { cwd: dir.path, env: {}, startedAt: new Date(), conversationId: 'own', extraArgs: [] };
  });
  afterEach(() => dir.remove());

  const adapter = (accepts?: (path: string) => boolean): AgentAdapter => ({
    name: 'test',
    title: 'test',
    binary: 'test',
    versionArgs: [],
    loadTranscriptParser: null,
    launch: () => ({ command: [], conversationId: null }),
    findTranscript: async () => (existsSync(own) ? { path: own, fromOffset: 0 } : null),
    ...(accepts && { acceptsReportedTranscript: accepts }),
  });

  it('a reported file that is missing is looked past, and the search goes on until one appears', async () => {
    const copier = new TranscriptCopier(adapter(), query, null, join(dir.path, 'copy'));
    copier.reportPath(join(dir.path, 'not-there.jsonl'));
    copier.start(50);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await writeFile(own, '{"mine":1}\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await copier.stop();
    expect(basename(copier.destination!)).toBe('own.jsonl');
    expect(await readFile(copier.destination!, 'utf8')).toBe('{"mine":1}\n');
  });

  it("a reported file the adapter says is another conversation's is not copied", async () => {
    const parent = join(dir.path, 'parent.jsonl');
    await writeFile(parent, '{"parent":1}\n');
    await writeFile(own, '{"mine":1}\n');
    const copier = new TranscriptCopier(
      adapter((path) => basename(path) === 'own.jsonl'),
      query,
      null,
      join(dir.path, 'copy'),
    );
    copier.reportPath(parent);
    await copier.stop();
    expect(await readFile(copier.destination!, 'utf8')).toBe('{"mine":1}\n');
  });
});
