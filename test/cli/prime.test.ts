// sdd prime: the context `sdd mcp` serves, as one short text (and --json) for agents without MCP.

import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Item } from '../../src/core/types.js';
import { git, REPO_ROOT, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('sdd prime', () => {
  let dir: { path: string; remove(): Promise<void> };
  const env = { SDD_ACTOR: 'agent-7', SDD_ITEM_ID: undefined, SDD_SESSION_ID: undefined };

  beforeEach(async () => {
    dir = await makeTempDir('sdd-prime-');
    git(dir.path, ['init', '-q']);
    await cp(join(REPO_ROOT, 'test', 'fixtures', 'speckit', 'specs'), join(dir.path, 'specs'), {
      recursive: true,
    });
    sddJson(dir.path, ['init'], env);
    sddJson(dir.path, ['import', 'specs/004-team-notes'], env);
    await writeFile(join(dir.path, '.sdd', 'context', 'product.md'), '# Product\n');
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('prints the task, its feature and epic, the team context, ready work and the commands to report back', () => {
    const result = sdd(dir.path, ['prime', '--task', 'T003'], env);
    expect(result.code, result.stderr).toBe(0);
    const text = result.stdout;
    expect(text).toContain('acting as agent-7');
    expect(text).toMatch(/Task sd-\d+ \(T003\) P1 \[open\]: Configure linting/);
    expect(text).toContain('Feature sd-2 (setup): Setup (Shared Infrastructure)');
    expect(text).toContain('Epic sd-1 (004-team-notes): Team Notes (specs in specs/004-team-notes/)');
    expect(text).toContain('Team context: .sdd/context/product.md');
    expect(text).toMatch(/Ready work:\n- sd-\d+ \(T003\)/);
    expect(text).toMatch(/sdd done sd-\d+/);
    expect(text).toContain('--parent sd-2');
    expect(text).not.toContain('sdd mark'); // outside a session there is no recording to mark
    expect(text.split('\n').length).toBeLessThan(20);
  });

  it('takes the task of the session it runs in ($SDD_ITEM_ID) and gives --json', () => {
    const task = sddJson<{ item: Item }>(dir.path, ['show', 'T005'], env);
    const prime = sddJson<{
      task: { item: Item };
      feature: Item;
      epic: Item;
      ready: unknown[];
      commands: { command: string }[];
    }>(dir.path, ['prime', '--json'], { ...env, SDD_ITEM_ID: task.item.id, SDD_SESSION_ID: 's-test' });
    expect(prime.task.item.source?.ref).toBe('T005');
    expect(prime.feature.title).toBe('Foundational (Blocking Prerequisites)');
    expect(prime.epic.title).toBe('Team Notes');
    expect(prime.ready).toHaveLength(1);
    expect(prime.commands.map((c) => c.command)).toContain('sdd mark "..."');
  });

  it('without a task says how to name one, and an unknown one is NOT_FOUND (exit 3)', () => {
    expect(sdd(dir.path, ['prime'], env).stdout).toContain('No current task');
    const missing = sdd(dir.path, ['prime', '--task', 'T999'], env);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('T999');
  });
});
