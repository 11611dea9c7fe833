import { describe, expect, it } from 'vitest';
import { fmtBytes, fmtInt, fmtMs, fmtRatio, formatTable } from '../../bench/lib/table.ts';

describe('formatTable', () => {
  it('left-aligns the first column, right-aligns the figures, and rules the header', () => {
    const text = formatTable(['server', 'deliveries/s'], [['bare ws', '91,204'], ['gateway (graphql-ws)', '7']]);
    expect(text.split('\n')).toEqual([
      'server                deliveries/s',
      '--------------------  ------------',
      'bare ws                     91,204',
      'gateway (graphql-ws)             7',
    ]);
  });

  it('refuses a row whose cell count differs from the header', () => {
    expect(() => formatTable(['a', 'b'], [['1']])).toThrow(RangeError);
  });
});

describe('number formats', () => {
  it('show a dash for a figure that was not measured', () => {
    for (const format of [fmtInt, fmtMs, fmtRatio, fmtBytes]) {
      expect(format(null)).toBe('–');
      expect(format(Number.NaN)).toBe('–');
    }
  });

  it('group thousands and round', () => {
    expect(fmtInt(1234567.6)).toBe('1,234,568');
  });

  it('give milliseconds a precision that fits their size', () => {
    expect(fmtMs(0.456)).toBe('0.46');
    expect(fmtMs(7.25)).toBe('7.3');
    expect(fmtMs(1180.4)).toBe('1,180');
  });

  it('mark ratios with ×, one decimal from 10 up', () => {
    expect(fmtRatio(0.625)).toBe('0.63×');
    expect(fmtRatio(11.04)).toBe('11.0×');
  });

  it('pick the unit for bytes', () => {
    expect(fmtBytes(2048)).toBe('2,048 B');
    expect(fmtBytes(35 * 1024)).toBe('35.0 KiB');
    expect(fmtBytes(600 * 1024 * 1024)).toBe('600.0 MiB');
  });
});
