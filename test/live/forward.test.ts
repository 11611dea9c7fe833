// forward() moves a source's items into a Repeater until the reader leaves. It must not keep
// what it moved: racing each step against the one long-lived `stop` promise left a reaction on
// it per item, holding the item, so every delivery of a subscription stayed in memory until the
// subscriber left (3-4 MiB/s at 20 rooms x 50 msg/s to 200 subscribers; issue 16 item 8).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { forward } from '../../src/live/stream.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

async function* items(count: number, refs: WeakRef<object>[]): AsyncGenerator<object> {
  for (let i = 0; i < count; i += 1) {
    const item = { i, payload: 'x'.repeat(100) };
    refs.push(new WeakRef(item));
    yield item;
  }
}

describe('forward', () => {
  it('keeps none of the items it moved while the reader is still there', async () => {
    const refs: WeakRef<object>[] = [];
    let pushed = 0;
    const stop = new Promise<void>(() => undefined); // the reader never leaves during the test
    await forward(items(2_000, refs), async () => void (pushed += 1), stop);
    expect(pushed).toBe(2_000);
    await macrotask();
    gc();
    await macrotask();
    gc();
    const kept = refs.filter((ref) => ref.deref() !== undefined).length;
    expect(kept).toBeLessThanOrEqual(2);
  });

  it('returns when the reader leaves while it waits for the next item', async () => {
    let leave: () => void = () => undefined;
    const stop = new Promise<void>((resolve) => (leave = resolve));
    const never: AsyncIterator<number> = { next: () => new Promise(() => undefined) };
    const done = forward(never, async () => undefined, stop);
    leave();
    await expect(done).resolves.toBeUndefined();
  });

  it('throws what the source throws', async () => {
    const failing: AsyncIterator<number> = { next: () => Promise.reject(new Error('source broke')) };
    await expect(forward(failing, async () => undefined, new Promise(() => undefined))).rejects.toThrow('source broke');
  });
});
