// The part of the Service contract about feature numbers: `sdd specify` takes the next one and its
// epic in one step, whichever Service runs it.

import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/core/service.js';
import { teamNotesDocument } from './task-list-builder.js';

export function describeEpicNumberContract(serviceOf: () => Service): void {
  describe('feature numbers', () => {
    it('numbers the first epic 001 and gives it its spec folder as its key', async () => {
      const reserved = await serviceOf().reserveEpic(
        { shortName: 'photo-albums', title: 'Photo albums' },
        'a',
      );
      expect(reserved).toMatchObject({ number: 1, key: '001-photo-albums' });
      expect(reserved.epic).toMatchObject({ type: 'epic', title: 'Photo albums', status: 'open' });
      expect(reserved.epic.source).toMatchObject({
        file: 'specs/001-photo-albums/spec.md',
        ref: '001-photo-albums',
        epicKey: '001-photo-albums',
      });
      expect((await serviceOf().getItem('001-photo-albums')).item.id).toBe(reserved.epic.id);
    });

    it('takes one past the highest number the tracker or the clone knows', async () => {
      const service = serviceOf();
      await service.importTaskList(teamNotesDocument('004-team-notes'), 'a');
      expect((await service.reserveEpic({ shortName: 'search', title: 'Search' }, 'a')).key).toBe(
        '005-search',
      );
      expect(
        (await service.reserveEpic({ shortName: 'tags', title: 'Tags', minNumber: 9 }, 'a')).number,
      ).toBe(9);
      expect(
        (await service.reserveEpic({ shortName: 'more', title: 'More', minNumber: 2 }, 'a')).number,
      ).toBe(10);
    });

    it('gives calls made at once different numbers', async () => {
      const service = serviceOf();
      const all = await Promise.all(
        ['a', 'b', 'c', 'd'].map((n) => service.reserveEpic({ shortName: `f-${n}`, title: `F ${n}` }, n)),
      );
      expect(new Set(all.map((r) => r.number)).size).toBe(4);
      expect(all.map((r) => r.number).sort()).toEqual([1, 2, 3, 4]);
    });

    it('refuses a short name that is no folder name, and creates nothing', async () => {
      const service = serviceOf();
      await expect(
        service.reserveEpic({ shortName: 'Photo Albums!', title: 'x' }, 'a'),
      ).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      expect(await service.listItems()).toEqual([]);
    });

    it('lets a task list import into the reserved epic instead of a second one', async () => {
      const service = serviceOf();
      const { epic } = await service.reserveEpic({ shortName: 'team-notes', title: 'Team notes' }, 'a');
      const result = await service.importTaskList(teamNotesDocument('001-team-notes'), 'a');
      expect(result.epic.id).toBe(epic.id);
      expect((await service.listItems({ type: 'epic' })).length).toBe(1);
    });
  });
}
