// Checks the moments `sdd replay --at` accepts: seconds, mm:ss and hh:mm:ss.

import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.js';
import { parseTimeSpec } from '../../src/replay/time-spec.js';

describe('parseTimeSpec', () => {
  it.each([
    ['90', 90],
    ['1.5', 1.5],
    ['0', 0],
    ['1:30', 90],
    ['01:02:03', 3723],
    ['2:05.25', 125.25],
    ['120:00', 7200],
    [' 45 ', 45],
  ])('reads %j as %d seconds', (text, seconds) => {
    expect(parseTimeSpec(text)).toBe(seconds);
  });

  it.each(['', 'abc', '-5', '1:60', '1:75:00', '1:2:3:4', '1.5:00', ':30', '1:', '1e3', '0x10'])(
    'refuses %j',
    (text) => {
      expect(() => parseTimeSpec(text)).toThrow(InvalidInputError);
    },
  );
});
