// The live session as `sdd mcp` reaches it: the recorder's control channel (the socket named in the
// session's record), the same way `sdd mark` and `sdd checkpoint` reach it.

import { InvalidInputError } from '../core/errors.js';
import type { SessionRecord } from '../core/session.js';
import { sendControl } from '../sessions/control-channel.js';
import type { SessionLink } from './tool.js';

export function sessionLink(record: SessionRecord): SessionLink {
  const socket = record.controlSocket;
  const send = async (request: Parameters<typeof sendControl>[1]) => {
    if (!socket) throw new InvalidInputError(`Session ${record.id} is ${record.status}, not recording now.`);
    return sendControl(socket, request, 15_000);
  };
  return {
    id: record.id,
    clock: async () => ((await send({ type: 'clock' })) as { time: number }).time,
    mark: async (label) => (await send({ type: 'mark', label })) as { time: number },
    checkpoint: async (message) =>
      (await send({ type: 'checkpoint', message, trigger: 'manual' })) as { commit: string } | null,
    toolCall: async (call) => {
      await send({ type: 'tool-call', ...call });
    },
    decision: async (event) => {
      await send({ type: 'decision', ...event });
    },
  };
}
