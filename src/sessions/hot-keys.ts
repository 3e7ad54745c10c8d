// sdd's own keys inside a recorded session: Ctrl-] then m adds a marker, Ctrl-] then c takes a
// checkpoint; Ctrl-] twice sends one Ctrl-] to the program. Every other key goes through untouched.

export const HOT_KEY_PREFIX = 0x1d; // Ctrl-]

export type HotKeyAction = 'marker' | 'checkpoint';

const ACTIONS: Record<string, HotKeyAction> = { m: 'marker', c: 'checkpoint' };

/** Splits typed input into what goes to the program and the hot-key actions found in it. */
export class HotKeyFilter {
  private armed = false;

  filter(data: Buffer): { passThrough: Buffer; actions: HotKeyAction[] } {
    if (!this.armed && !data.includes(HOT_KEY_PREFIX)) return { passThrough: data, actions: [] };
    const out: number[] = [];
    const actions: HotKeyAction[] = [];
    for (const byte of data) {
      if (!this.armed) {
        if (byte === HOT_KEY_PREFIX) this.armed = true;
        else out.push(byte);
        continue;
      }
      this.armed = false;
      const action = ACTIONS[String.fromCharCode(byte)];
      if (action) actions.push(action);
      else if (byte === HOT_KEY_PREFIX) out.push(HOT_KEY_PREFIX);
      else out.push(HOT_KEY_PREFIX, byte); // not ours: both keys reach the program
    }
    return { passThrough: Buffer.from(out), actions };
  }
}
