// The write coalescer on its own: a burst written in one tick leaves in one write call, and the
// held bytes are bounded.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WriteCoalescer } from '../../src/server/write-coalescer.ts';

/** A stream that records each underlying write call's chunks; `stalled` makes it keep them pending. */
class RecordingStream extends Writable {
  readonly calls: string[][] = [];
  stalled = false;
  private readonly pending: (() => void)[] = [];

  override _writev(chunks: { chunk: Buffer }[], done: () => void): void {
    this.calls.push(chunks.map(({ chunk }) => chunk.toString('utf8')));
    if (this.stalled) this.pending.push(done);
    else done();
  }

  release(): void {
    this.stalled = false;
    for (const done of this.pending.splice(0)) done();
  }
}

function coalesced(stream: RecordingStream, maxHeldBytes: number, onFlush: () => void = () => undefined) {
  const coalescer = new WriteCoalescer(stream, maxHeldBytes, onFlush);
  const send = (text: string) => {
    coalescer.beforeWrite();
    stream.write(text);
    return coalescer.afterWrite();
  };
  return { coalescer, send };
}

describe('WriteCoalescer', () => {
  it('sends a burst written in one tick as one write call at the end of the tick, then reports', async () => {
    const stream = new RecordingStream();
    const flushes: number[] = [];
    const { send } = coalesced(stream, 1024, () => flushes.push(stream.writableLength));
    expect([send('a'), send('b'), send('c')]).toEqual([false, false, false]);
    expect(stream.calls).toEqual([]);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(stream.calls).toEqual([['a', 'b', 'c']]);
    expect(flushes).toEqual([0]);
    send('d');
    await new Promise((resolve) => process.nextTick(resolve));
    expect(stream.calls).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('lets go at once when the held bytes reach the limit', () => {
    const stream = new RecordingStream();
    const { send } = coalesced(stream, 10);
    expect(send('12345')).toBe(false);
    expect(send('67890')).toBe(true);
    expect(stream.calls).toEqual([['12345', '67890']]);
  });

  it('holds nothing for a socket that already has bytes pending, nor for a destroyed one', () => {
    const stream = new RecordingStream();
    stream.stalled = true;
    const { coalescer, send } = coalesced(stream, 1024);
    stream.write('pending');
    expect(send('next')).toBe(true);
    expect(coalescer.held).toBe(false);
    stream.release();

    const gone = new RecordingStream();
    gone.destroy();
    const destroyed = coalesced(gone, 1024);
    destroyed.coalescer.beforeWrite();
    expect(destroyed.coalescer.held).toBe(false);
  });

  it('reports a flush to a subclass that overrides flushed(), once per held burst', async () => {
    class Reporting extends WriteCoalescer {
      readonly reports: number[] = [];
      constructor(private readonly target: RecordingStream) {
        super(target, 1024);
      }
      protected override flushed(): void {
        this.reports.push(this.target.calls.length);
      }
    }
    const stream = new RecordingStream();
    const coalescer = new Reporting(stream);
    for (const text of ['a', 'b']) {
      coalescer.beforeWrite();
      stream.write(text);
      expect(coalescer.afterWrite()).toBe(false);
    }
    await new Promise((resolve) => process.nextTick(resolve));
    coalescer.flush();
    expect(stream.calls).toEqual([['a', 'b']]);
    expect(coalescer.reports).toEqual([1]);
  });
});

// ---- a group with fake sockets -----------------------------------------------------------
