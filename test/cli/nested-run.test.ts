// sdd run started by an agent inside another session: its terminal is the outer session's PTY, where
// an agent sits, so sdd puts no question to it ("Is T2 done?") and ends on its own.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ItemDetails } from '../../src/core/service.js';
import type { Item } from '../../src/core/types.js';
import { git, SDD_BIN, sddAsync, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('sdd run inside another session', () => {
  let dir: { path: string; remove(): Promise<void> };

  beforeEach(async () => {
    dir = await makeTempDir();
    git(dir.path, ['init', '-q']);
    await writeFile(join(dir.path, 'README.md'), '# x\n');
    sddJson(dir.path, ['init']);
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('asks nothing at the end and releases its task', async () => {
    const outer = sddJson<Item>(dir.path, ['create', 'Outer task']);
    const inner = sddJson<Item>(dir.path, ['create', 'Inner task']);
    const nested = `'${process.execPath}' '${SDD_BIN}' run ${inner.id} --cmd true`;
    // A question would wait for an answer that never comes: the run would not end.
    const run = await Promise.race([
      sddAsync(dir.path, ['run', outer.id, '--cmd', nested]),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 20_000)),
    ]);
    expect(run?.code).toBe(0);
    const shown = sddJson<ItemDetails>(dir.path, ['show', inner.id]);
    expect(shown.item.status).toBe('open');
    expect(shown.item.claim).toBeNull();
  }, 30_000);
});
