// The composition root's closers: reverse order, and one that hangs or fails is named and passed
// over so the rest (the lease release among them) still run.
import { describe, expect, it } from 'vitest';
import { Closers } from '../../src/server/compose/closers.ts';

function recordingLogger() {
  const warnings: { closer?: string; message: string }[] = [];
  return { warnings, logger: { warn: (fields: { closer?: string }, message: string) => warnings.push({ closer: fields.closer, message }) } };
}

describe('Closers', () => {
  it('closes in the reverse of the order added', async () => {
    const { logger, warnings } = recordingLogger();
    const closers = new Closers(logger as never);
    const order: string[] = [];
    for (const name of ['store', 'bus', 'leases']) closers.add(name, () => void order.push(name));
    await closers.closeAll();
    expect(order).toEqual(['leases', 'bus', 'store']);
    expect(warnings).toEqual([]);
  });

  it('names a closer that never finishes, goes on to the next, and closes each once', async () => {
    const { logger, warnings } = recordingLogger();
    const closers = new Closers(logger as never, 20);
    const order: string[] = [];
    closers.add('store', () => void order.push('store'));
    closers.add('bus', () => new Promise<void>(() => order.push('bus')));
    closers.add('leases', () => {
      order.push('leases');
      throw new Error('database gone');
    });
    await closers.closeAll();
    await closers.closeAll();
    expect(order).toEqual(['leases', 'bus', 'store']);
    expect(warnings).toEqual([
      { closer: 'leases', message: 'closing leases failed' },
      { closer: 'bus', message: 'closing bus did not finish in time; going on without it' },
    ]);
  });
});
