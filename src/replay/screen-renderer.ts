// The screen of a recording at a moment, as plain text: from the nearest keyframe before that moment plus
// the events after it, so an hour-long recording answers as fast as a short one.

import { InvalidInputError } from '../core/errors.js';
import { type CastPosition, readCastHeader, streamCastEventBatches } from './cast-reader.js';
import { openKeyframeIndex } from './keyframes.js';
import { applyCastEvent, VirtualTerminal } from './virtual-terminal.js';

export { buildKeyframes, KEYFRAME_SPACING, type KeyframeSummary } from './keyframes.js';
export { parseTimeSpec } from './time-spec.js';

export interface ScreenAt {
  /** One line per row, trailing spaces trimmed. */
  text: string;
  cols: number;
  rows: number;
  /** The moment shown: the one asked for, or the end of the recording if that came first. */
  atSeconds: number;
}

export interface RenderOptions {
  /** Use (and build or refresh) the keyframe index beside the cast; true by default. */
  keyframes?: boolean;
}

export async function renderScreenAt(
  castPath: string,
  atSeconds: number,
  options: RenderOptions = {},
): Promise<ScreenAt> {
  if (!Number.isFinite(atSeconds) || atSeconds < 0) {
    throw new InvalidInputError(
      `The moment to render must be a number of seconds of at least 0; got ${atSeconds}.`,
    );
  }
  // Read first: a missing file or one that is no cast is reported as such, not as an index problem.
  const { header } = await readCastHeader(castPath);
  const start = options.keyframes === false ? undefined : await keyframeBefore(castPath, atSeconds);
  const terminal = start?.terminal ?? new VirtualTerminal(header.width, header.height);
  try {
    let time = start?.from.time ?? 0;
    let reachedEnd = true;
    const batches = streamCastEventBatches(castPath, start ? { from: start.from } : {});
    scan: for await (const batch of batches) {
      for (const event of batch) {
        const eventTime = Math.max(time, event.time);
        if (eventTime > atSeconds) {
          reachedEnd = false;
          break scan;
        }
        const pending = applyCastEvent(terminal, event);
        if (pending) await pending;
        time = eventTime;
      }
    }
    await terminal.settle();
    return {
      text: terminal.screenText(),
      cols: terminal.cols,
      rows: terminal.rows,
      atSeconds: reachedEnd ? Math.min(atSeconds, time) : atSeconds,
    };
  } finally {
    terminal.dispose();
  }
}

async function keyframeBefore(
  castPath: string,
  atSeconds: number,
): Promise<{ terminal: VirtualTerminal; from: CastPosition } | undefined> {
  const index = await openKeyframeIndex(castPath);
  if (!index) return undefined;
  try {
    const keyframe = index.lastAtOrBefore(atSeconds);
    if (!keyframe) return undefined;
    const terminal = await VirtualTerminal.restore({ ...keyframe, screen: await index.readScreen(keyframe) });
    return { terminal, from: keyframe };
  } finally {
    await index.close();
  }
}
