// The tool that marks a moment in the live session: a marker in the recording and a checkpoint of
// the files, through the recorder's control channel.

import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import { tool } from '../tool.js';

export const markTool = tool({
  name: 'mark',
  description: 'Mark a moment in the session recording and checkpoint the files.',
  input: {
    label: z
      .string({ error: 'label is text: what just happened' })
      .trim()
      .min(1, 'label may not be blank: say what just happened')
      .max(200, 'label is at most 200 characters'),
    checkpoint: z.boolean({ error: 'checkpoint is true or false' }).optional().describe('default true'),
  },
  async run({ session }, input) {
    if (!session) {
      throw new InvalidInputError('Not inside `sdd run`: there is no recording to mark. Use note instead.');
    }
    const { time } = await session.mark(input.label);
    const at = `${time.toFixed(1)}s`;
    if (input.checkpoint === false) return `Marked "${input.label}" at ${at}.`;
    const checkpoint = await session.checkpoint(input.label);
    return checkpoint
      ? `Marked "${input.label}" at ${at}; checkpoint ${checkpoint.commit.slice(0, 10)}.`
      : `Marked "${input.label}" at ${at}; no file changed since the last checkpoint.`;
  },
});
