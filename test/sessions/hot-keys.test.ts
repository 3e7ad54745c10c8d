// sdd's hot keys inside a session: found and taken out of the input, everything else untouched.

import { describe, expect, it } from 'vitest';
import { HotKeyFilter } from '../../src/sessions/hot-keys.js';

describe('HotKeyFilter', () => {
  it('passes ordinary input through as it is', () => {
    const input = Buffer.from('ls -la\r\x03');
    expect(new HotKeyFilter().filter(input)).toEqual({ passThrough: input, actions: [] });
  });

  it('takes Ctrl-] m and Ctrl-] c out, even split across reads', () => {
    const filter = new HotKeyFilter();
    expect(filter.filter(Buffer.from('ab\x1dm'))).toEqual({
      passThrough: Buffer.from('ab'),
      actions: ['marker'],
    });
    expect(filter.filter(Buffer.from('\x1d'))).toEqual({ passThrough: Buffer.from(''), actions: [] });
    expect(filter.filter(Buffer.from('cd'))).toEqual({
      passThrough: Buffer.from('d'),
      actions: ['checkpoint'],
    });
  });

  it('sends one Ctrl-] for two, and both keys when the second is not a hot key', () => {
    const filter = new HotKeyFilter();
    expect(filter.filter(Buffer.from('\x1d\x1d')).passThrough).toEqual(Buffer.from('\x1d'));
    expect(filter.filter(Buffer.from('\x1dx')).passThrough).toEqual(Buffer.from('\x1dx'));
  });
});
