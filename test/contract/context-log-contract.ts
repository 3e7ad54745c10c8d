// The ContextLog contract: one suite for every home of the team context (the server's data folder,
// PostgreSQL, and both through HTTP). It talks only through the ContextLog port.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContextLog } from '../../src/core/context-log.js';

export interface ContextLogHarness {
  log: ContextLog;
  close(): Promise<void>;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

export function describeContextLogContract(name: string, open: () => Promise<ContextLogHarness>): void {
  describe(`ContextLog contract: ${name}`, () => {
    let harness: ContextLogHarness;
    let log: ContextLog;
    beforeEach(async () => {
      harness = await open();
      log = harness.log;
    });
    afterEach(() => harness.close());

    it('starts empty', async () => {
      expect(await log.listContext()).toEqual([]);
      expect(await codeOf(log.getContext('product'))).toBe('NOT_FOUND');
      expect(await codeOf(log.contextHistory('product'))).toBe('NOT_FOUND');
    });

    it('saves versions in order, each with its author, and lists the latest of each document', async () => {
      const first = await log.putContext('product', '# Product\n\nv1\n', 'alice', 0);
      expect(first.created).toBe(true);
      expect(first.version).toMatchObject({
        name: 'product',
        version: 1,
        text: '# Product\n\nv1\n',
        author: 'alice',
      });
      expect(first.version.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const second = await log.putContext('product', '# Product\n\nv2\n', 'bob', 1);
      expect(second.version).toMatchObject({ version: 2, author: 'bob' });
      await log.putContext('constitution', 'Tests first.\n', 'carol', 0);

      const latest = await log.listContext();
      expect(latest.map((v) => [v.name, v.version, v.author])).toEqual([
        ['constitution', 1, 'carol'],
        ['product', 2, 'bob'],
      ]);
      expect((await log.getContext('product')).text).toBe('# Product\n\nv2\n');
      expect((await log.getContext('product', 1)).text).toBe('# Product\n\nv1\n');
      const history = await log.contextHistory('product');
      expect(history.map((v) => [v.version, v.author])).toEqual([
        [1, 'alice'],
        [2, 'bob'],
      ]);
      expect(history[0]).not.toHaveProperty('text');
    });

    it('refuses an edit based on a version older than the latest, and saves nothing', async () => {
      await log.putContext('workflow', 'one\n', 'alice', 0);
      await log.putContext('workflow', 'two\n', 'bob', 1);
      let error: { code?: string; details?: Record<string, unknown>; message?: string } = {};
      try {
        await log.putContext('workflow', 'three\n', 'carol', 1);
      } catch (caught) {
        error = caught as typeof error;
      }
      expect(error.code).toBe('VERSION_CONFLICT');
      expect(error.details).toMatchObject({ name: 'workflow', latest: 2, author: 'bob', basedOn: 1 });
      expect(error.message).toContain('sdd context sync');
      expect((await log.contextHistory('workflow')).length).toBe(2);
      // A second "new document" is a conflict too: someone created it first.
      expect(await codeOf(log.putContext('workflow', 'mine\n', 'dave', 0))).toBe('VERSION_CONFLICT');
      // Based on a version the server never had.
      expect(await codeOf(log.putContext('fresh', 'x\n', 'dave', 3))).toBe('VERSION_CONFLICT');
    });

    it('saves nothing for a text equal to the latest version, whatever it is based on', async () => {
      await log.putContext('tech-stack', 'TypeScript\n', 'alice', 0);
      const again = await log.putContext('tech-stack', 'TypeScript\n', 'bob', 0);
      expect(again.created).toBe(false);
      expect(again.version).toMatchObject({ version: 1, author: 'alice' });
      expect((await log.contextHistory('tech-stack')).length).toBe(1);
    });

    it('gives one of two saves of the same next version, and a conflict to the other', async () => {
      await log.putContext('product', 'base\n', 'alice', 0);
      const results = await Promise.allSettled([
        log.putContext('product', 'from bob\n', 'bob', 1),
        log.putContext('product', 'from carol\n', 'carol', 1),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled').length).toBe(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((refused.reason as { code?: string }).code).toBe('VERSION_CONFLICT');
      expect((await log.contextHistory('product')).length).toBe(2);
    });

    it('keeps text as it was sent: unicode, CRLF, front matter', async () => {
      const text = '---\r\ninclusion: fileMatch\r\nfileMatchPattern: "app/**"\r\n---\r\nÜnïcødé ✓ 日本\r\n';
      await log.putContext('api-rules', text, 'alice', 0);
      expect((await log.getContext('api-rules')).text).toBe(text);
    });

    it('refuses bad names, versions and oversized texts', async () => {
      expect(await codeOf(log.putContext('../escape', 'x', 'alice', 0))).toBe('INVALID_INPUT');
      expect(await codeOf(log.putContext('.hidden', 'x', 'alice', 0))).toBe('INVALID_INPUT');
      expect(await codeOf(log.putContext('big', 'x'.repeat(300 * 1024), 'alice', 0))).toBe('INVALID_INPUT');
      expect(await codeOf(log.putContext('neg', 'x', 'alice', -1))).toBe('INVALID_INPUT');
      await log.putContext('product', 'x\n', 'alice', 0);
      expect(await codeOf(log.getContext('product', 2))).toBe('NOT_FOUND');
      expect(await codeOf(log.getContext('product', 0))).toBe('INVALID_INPUT');
      expect(await log.listContext()).toHaveLength(1);
    });
  });
}
