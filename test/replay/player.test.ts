// Checks playback with an injected clock (no real waiting): order and timing of the output, speed and
// idle limit, the keys (pause, step, jump to the next marker, quit), and that the terminal mode is restored.

import { PassThrough, Writable } from 'node:stream';
import { setTimeout as realDelay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.js';
import { type CastEvent, type ParsedCast, readCastFile } from '../../src/replay/cast-reader.js';
import { playCast } from '../../src/replay/player.js';

const fixtures = fileURLToPath(new URL('../fixtures/casts/', import.meta.url));

class FakeTty extends PassThrough {
  readonly isTTY = true;
  isRaw = false;
  readonly modes: boolean[] = [];
  setRawMode(mode: boolean): this {
    this.modes.push(mode);
    this.isRaw = mode;
    return this;
  }
}

/** A fake clock whose sleeps end early at scripted key presses, and an output noting when it was written. */
function harness(keys: [atMs: number, key: string][] = []) {
  let now = 0;
  const input = new FakeTty();
  const writes: [atMs: number, text: string][] = [];
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push([now, chunk.toString()]);
      done();
    },
  });
  const pending = [...keys];
  const sleep = async (ms: number) => {
    const key = pending[0];
    if (key && key[0] <= now + ms) {
      pending.shift();
      now = Math.max(now, key[0]);
      input.write(key[1]);
    } else {
      now += ms;
    }
    // Lets the key reach the player before the sleep is over, as a real key would.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { input, output, writes, sleep, now: () => now };
}

function cast(events: [number, string, string][], idleTimeLimit?: number): ParsedCast {
  const header = { version: 2 as const, width: 80, height: 24, ...(idleTimeLimit && { idleTimeLimit }) };
  return {
    header,
    events: events.map(([time, code, data]): CastEvent => ({ time, code, data })),
    truncated: false,
  };
}

describe('playCast', () => {
  it('writes output in order at the recorded times, scaled by speed, with long pauses capped', async () => {
    const h = harness();
    const events = cast([
      [0.5, 'o', 'a'],
      [1.0, 'o', 'b'],
      [5.0, 'o', 'c'],
      [5.5, 'r', '10x5'],
      [6.0, 'o', 'd'],
    ]);
    await playCast(events, { output: h.output, speed: 2, idleLimit: 2, sleep: h.sleep, now: h.now });
    // Virtual times 0.5, 1, 3 (a 4 s pause cut to 2), 4; halved by the speed.
    expect(h.writes).toEqual([
      [250, 'a'],
      [500, 'b'],
      [1500, 'c'],
      [2000, 'd'],
    ]);
  });

  it("reads a cast file and uses its header's idle_time_limit", async () => {
    const h = harness();
    await playCast(`${fixtures}v2-demo.cast`, { output: h.output, sleep: h.sleep, now: h.now });
    const expected = (await readCastFile(`${fixtures}v2-demo.cast`)).events.filter((e) => e.code === 'o');
    expect(h.writes.map(([, text]) => text)).toEqual(expected.map((e) => e.data));
    // The last pause, 2.49 s, is cut to the header's 2 s.
    expect(h.now()).toBeCloseTo(6050, 3);
  });

  it('jumps with ] to the next extra marker, then to the next cast marker, and plays on', async () => {
    const h = harness([
      [1500, ']'],
      [3000, ']'],
    ]);
    const events = cast([
      [1, 'o', 'one'],
      [2, 'o', 'two'],
      [11, 'o', 'eleven'],
      [15, 'o', 'fifteen'],
      [20, 'm', 'a marker'],
      [21, 'o', 'x'],
      [30, 'o', 'end'],
    ]);
    await playCast(events, {
      output: h.output,
      input: h.input,
      markers: [10, 0.5],
      sleep: h.sleep,
      now: h.now,
    });
    expect(h.writes).toEqual([
      [1000, 'one'],
      [1500, 'two'], // the jump to 10 s writes what comes before at once
      [2500, 'eleven'], // 1 s after the marker at 10 s
      [3000, 'fifteen'], // no extra marker left: the jump goes to the cast's marker at 20 s
      [4000, 'x'],
      [13000, 'end'],
    ]);
    expect(h.input.modes).toEqual([true, false]);
  });

  it('pauses with space, steps with . while paused, and resumes where it stopped', async () => {
    const h = harness([[1500, ' ']]);
    const events = cast([
      [1, 'o', 'a'],
      [2, 'o', 'b'],
      [2.5, 'm', 'no output'],
      [3, 'o', 'c'],
      [4, 'o', 'd'],
    ]);
    const playing = playCast(events, { output: h.output, input: h.input, sleep: h.sleep, now: h.now });
    for (const key of ['.', '.', ' ']) {
      await realDelay(20);
      h.input.write(key);
    }
    await playing;
    expect(h.writes).toEqual([
      [1000, 'a'],
      [1500, 'b'],
      [1500, 'c'],
      [2500, 'd'],
    ]);
  });

  it('stops at q and restores the terminal mode', async () => {
    const h = harness([[1500, 'q']]);
    const events = cast([
      [1, 'o', 'a'],
      [2, 'o', 'b'],
    ]);
    await playCast(events, { output: h.output, input: h.input, sleep: h.sleep, now: h.now });
    expect(h.writes).toEqual([[1000, 'a']]);
    expect(h.input.modes).toEqual([true, false]);
    expect(h.input.listenerCount('data')).toBe(0);
  });

  it('stops at Ctrl-C, which raw mode delivers as a byte', async () => {
    const h = harness([[500, '\x03']]);
    await playCast(cast([[1, 'o', 'a']]), { output: h.output, input: h.input, sleep: h.sleep, now: h.now });
    expect(h.writes).toEqual([]);
  });

  it('restores the terminal mode when writing fails', async () => {
    const h = harness();
    const failing = new Writable({ write: (_chunk, _encoding, done) => done() });
    failing.write = () => {
      throw new Error('the terminal went away');
    };
    await expect(
      playCast(cast([[1, 'o', 'a']]), { output: failing, input: h.input, sleep: h.sleep, now: h.now }),
    ).rejects.toThrow('the terminal went away');
    expect(h.input.modes).toEqual([true, false]);
  });

  it('leaves an input that is not a terminal alone', async () => {
    const h = harness();
    const input = new PassThrough();
    input.write('q');
    await playCast(cast([[1, 'o', 'a']]), { output: h.output, input, sleep: h.sleep, now: h.now });
    expect(h.writes).toEqual([[1000, 'a']]);
    expect(input.listenerCount('data')).toBe(0);
  });

  it('refuses a speed or idle limit that is not above 0', async () => {
    const h = harness();
    await expect(playCast(cast([]), { output: h.output, speed: 0 })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(playCast(cast([]), { output: h.output, idleLimit: -1 })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });
});
