// The decision log's part of the Service contract (src/core/decisions.ts), run inside the suite of
// service-contract.ts against every Service.

import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/core/service.js';

export function describeDecisionContract(serviceOf: () => Service): void {
  describe('decisions', () => {
    async function tree(service: Service) {
      const epic = await service.createItem({ type: 'epic', title: 'Team notes' }, 'alice');
      const feature = await service.createItem({ type: 'feature', title: 'US1', parent: epic.id }, 'alice');
      const task = await service.createItem({ title: 'Parser', parent: feature.id }, 'alice');
      const other = await service.createItem({ type: 'epic', title: 'Search' }, 'alice');
      return { epic, feature, task, other };
    }

    it('records a decision with its defaults and lists it', async () => {
      const service = serviceOf();
      const { task } = await tree(service);
      const decision = await service.recordDecision(
        {
          item: task.id,
          question: '  Which parser? ',
          options: ['peggy', ' hand-written ', ''],
          choice: 'hand-written',
        },
        'agent-1',
      );
      expect(decision).toMatchObject({
        id: 'D1',
        itemId: task.id,
        question: 'Which parser?',
        options: ['peggy', 'hand-written'],
        choice: 'hand-written',
        rationale: '',
        actor: 'agent-1',
        sessionId: null,
        sessionTime: null,
        source: 'cli',
      });
      expect(Number.isNaN(Date.parse(decision.at))).toBe(false);
      expect(await service.listDecisions()).toEqual([decision]);
    });

    it('keeps the session and the moment in its recording', async () => {
      const service = serviceOf();
      const { task } = await tree(service);
      const decision = await service.recordDecision(
        {
          item: task.id,
          question: 'Tabs or spaces?',
          choice: 'spaces',
          rationale: 'the formatter says so',
          sessionId: 's-20260101-abc',
          sessionTime: 12.5,
          source: 'mcp',
        },
        'agent-1',
      );
      expect(decision).toMatchObject({ sessionId: 's-20260101-abc', sessionTime: 12.5, source: 'mcp' });
      expect(await service.listDecisions({ sessionId: 's-20260101-abc' })).toEqual([decision]);
      expect(await service.listDecisions({ sessionId: 's-other' })).toEqual([]);
    });

    it('returns the existing decision for the same item, question and choice', async () => {
      const service = serviceOf();
      const { task, feature } = await tree(service);
      const first = await service.recordDecision({ item: task.id, question: 'Which DB?', choice: 'pg' }, 'a');
      const again = await service.recordDecision(
        { item: task.id, question: 'Which  DB?', choice: 'pg', rationale: 'changed mind' },
        'b',
      );
      expect(again).toEqual(first);
      const otherChoice = await service.recordDecision(
        { item: task.id, question: 'Which DB?', choice: 'sqlite' },
        'a',
      );
      const otherItem = await service.recordDecision(
        { item: feature.id, question: 'Which DB?', choice: 'pg' },
        'a',
      );
      expect([otherChoice.id, otherItem.id]).toEqual(['D2', 'D3']);
      expect(await service.listDecisions()).toHaveLength(3);
    });

    it('lists by epic (with everything below it), by item, by words, oldest first, up to a limit', async () => {
      const service = serviceOf();
      const { epic, feature, task, other } = await tree(service);
      const onEpic = await service.recordDecision(
        { item: epic.id, question: 'Scope?', choice: 'MVP only' },
        'a',
      );
      const onTask = await service.recordDecision(
        {
          item: task.id,
          question: 'Error format?',
          options: ['JSON', 'text'],
          choice: 'JSON',
          rationale: 'Machines read it',
        },
        'a',
      );
      const onFeature = await service.recordDecision(
        { item: feature.id, question: 'Order?', choice: 'parser first' },
        'a',
      );
      const elsewhere = await service.recordDecision(
        { item: other.id, question: 'Engine?', choice: 'trigram' },
        'a',
      );

      expect((await service.listDecisions({ epic: epic.id })).map((d) => d.id)).toEqual([
        onEpic.id,
        onTask.id,
        onFeature.id,
      ]);
      expect(await service.listDecisions({ epic: other.id })).toEqual([elsewhere]);
      expect(await service.listDecisions({ item: task.id })).toEqual([onTask]);
      expect(await service.listDecisions({ item: epic.id })).toEqual([onEpic]);
      expect(await service.listDecisions({ grep: 'machines json' })).toEqual([onTask]);
      expect(await service.listDecisions({ grep: 'TEXT' })).toEqual([onTask]);
      expect(await service.listDecisions({ grep: 'json nowhere' })).toEqual([]);
      expect((await service.listDecisions({ limit: 2 })).map((d) => d.id)).toEqual([onEpic.id, onTask.id]);
      expect(await service.listDecisions({ epic: epic.id, grep: 'order' })).toEqual([onFeature]);
    });

    it('refuses a blank question or choice, an unknown item, a bad limit, and records nothing', async () => {
      const service = serviceOf();
      const { task } = await tree(service);
      await expect(
        service.recordDecision({ item: task.id, question: '  ', choice: 'x' }, 'a'),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('question') });
      await expect(
        service.recordDecision({ item: task.id, question: 'Why?', choice: '' }, 'a'),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('choice') });
      await expect(
        service.recordDecision({ item: 'nope-99', question: 'Why?', choice: 'x' }, 'a'),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(
        service.recordDecision(
          { item: task.id, question: 'Why?', choice: 'x', sessionTime: -1, sessionId: 's' },
          'a',
        ),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(service.listDecisions({ epic: 'nope-99' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(service.listDecisions({ limit: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(await service.listDecisions()).toEqual([]);
    });

    it('leaves the items alone', async () => {
      const service = serviceOf();
      const { task } = await tree(service);
      const before = await service.getItem(task.id);
      await service.recordDecision({ item: task.id, question: 'Why?', choice: 'because' }, 'a');
      expect(await service.getItem(task.id)).toEqual(before);
    });
  });
}
