// Checks that the registry (adapters/index.ts) is the one list of agents: each folder under adapters/ is one
// registered adapter that brings its own transcript parser, and nothing else names an agent or its parser.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentAdapter } from '../../adapters/agent-adapter.js';
import { ADAPTERS } from '../../adapters/index.js';
import type { Transcript } from '../../src/core/transcript.js';
import { parseTranscript } from '../../src/transcripts/parse-transcript.js';
import { REPO_ROOT } from '../helpers/run-sdd.js';

const ADAPTERS_DIR = join(REPO_ROOT, 'adapters');

function agentFolders(): string[] {
  return readdirSync(ADAPTERS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

function isAdapter(value: unknown): value is AgentAdapter {
  return typeof value === 'object' && value !== null && 'name' in value && 'launch' in value;
}

/** The adapter each folder's index.ts exports. */
async function folderAdapters(): Promise<Map<string, AgentAdapter[]>> {
  const found = new Map<string, AgentAdapter[]>();
  for (const folder of agentFolders()) {
    const module: Record<string, unknown> = await import(
      /* @vite-ignore */ join(ADAPTERS_DIR, folder, 'index.ts')
    );
    found.set(folder, Object.values(module).filter(isAdapter));
  }
  return found;
}

function hasFile(folder: string, name: string): boolean {
  return readdirSync(join(ADAPTERS_DIR, folder)).includes(name);
}

/** Every .ts file under a folder, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('the agent registry', () => {
  it('registers the one adapter of every folder under adapters/', async () => {
    const folders = await folderAdapters();
    expect(folders.size).toBeGreaterThan(0);
    for (const [folder, adapters] of folders) {
      expect(adapters, `adapters/${folder}/index.ts exports one adapter`).toHaveLength(1);
      expect(ADAPTERS, `adapters/${folder} is in adapters/index.ts`).toContain(adapters[0]);
    }
  });

  it("gives each folder's transcript-parser.ts to that folder's adapter, and a parser to no adapter without one", async () => {
    const folders = await folderAdapters();
    const inFolders = new Set([...folders.values()].flat());
    for (const [folder, [adapter]] of folders) {
      if (!hasFile(folder, 'transcript-parser.ts')) {
        expect(adapter?.loadTranscriptParser, `adapters/${folder} has no parser`).toBeNull();
        continue;
      }
      const module: Record<string, unknown> = await import(
        /* @vite-ignore */ join(ADAPTERS_DIR, folder, 'transcript-parser.ts')
      );
      const parser = await adapter?.loadTranscriptParser?.();
      expect(parser, `adapters/${folder}'s adapter loads its own transcript-parser.ts`).toBeTypeOf(
        'function',
      );
      expect(Object.values(module)).toContain(parser);
    }
    // An adapter outside a folder (the generic one) has no folder to keep a parser in.
    for (const adapter of ADAPTERS.filter((a) => !inFolders.has(a))) {
      expect(adapter.loadTranscriptParser, adapter.name).toBeNull();
    }
  });

  it("reads each registered agent's transcript, by its name or its command's, with the parser its adapter brings", async () => {
    const text = '{"type":"not-a-record-of-any-agent"}\nplain words\n';
    const readers = ADAPTERS.filter((adapter) => adapter.loadTranscriptParser !== null);
    expect(readers.length).toBeGreaterThan(0);
    for (const adapter of readers) {
      const parse = await adapter.loadTranscriptParser?.();
      const expected = parse?.(text, 'log.jsonl') as Transcript;
      for (const name of [adapter.name, adapter.binary]) {
        const transcript = await parseTranscript(name, [{ name: 'log.jsonl', text }]);
        expect(transcript, name).toEqual({ ...expected, agent: adapter.name });
      }
    }
  });

  it("reads a new adapter's transcript with its own parser, with no list of formats to extend", async () => {
    const echo: AgentAdapter = {
      ...ADAPTERS.at(-1)!,
      name: 'echo-agent',
      loadTranscriptParser: async () => (text, file) => ({
        agent: 'echo-agent',
        conversationId: 'c-1',
        entries: [{ kind: 'assistant', time: null, model: null, text, source: { file, line: 1 } }],
      }),
    };
    const transcript = await parseTranscript(echo, [{ name: 'echo.log', text: 'hello' }]);
    expect(transcript).toEqual({
      agent: 'echo-agent',
      conversationId: 'c-1',
      entries: [
        { kind: 'assistant', time: null, model: null, text: 'hello', source: { file: 'echo.log', line: 1 } },
      ],
    });
  });

  it("keeps every module outside adapters/ from reaching into an agent's folder: they go through the registry", () => {
    const reaching = [join(REPO_ROOT, 'src'), join(REPO_ROOT, 'recorders')]
      .flatMap(sourceFiles)
      .filter((file) =>
        /from '[./]*adapters\/[^/']+\/|import\('[./]*adapters\/[^/']+\//.test(readFileSync(file, 'utf8')),
      )
      .map((file) => relative(REPO_ROOT, file));
    expect(reaching).toEqual([]);
  });
});
