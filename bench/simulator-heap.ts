// The built-in simulator's own heap under the memory bench's load (20 rooms × 50 msg/s, 20,000
// viewers a room, as little ground truth as the gateway keeps), traffic stepped by a manual
// clock so simulated minutes take seconds and nothing else shares the heap. It isolates what the
// simulator adds to the gateway's heap in the default mode (bench/memory-load.ts).
// Run: node --expose-gc --import tsx bench/simulator-heap.ts [--seconds 1200] [--every 150]
import { argValue, isMain } from './lib/main.ts';
import { manualClock, startSimulator } from '../src/simulator/index.ts';

export async function simulatorHeap(seconds: number, every: number): Promise<{ at: number; heapMiB: number }[]> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  const heap = () => {
    for (let i = 0; i < 4; i += 1) gc();
    return process.memoryUsage().heapUsed / 2 ** 20;
  };
  const clock = manualClock(Date.UTC(2026, 11, 1));
  const rooms = Array.from({ length: 20 }, () => ({ rate: 50, viewers: 20_000 }));
  const sim = await startSimulator({ seed: 'simulator-heap', clock, autoTraffic: false, rooms, truthCapacity: 1_000 });
  const samples = [{ at: 0, heapMiB: heap() }];
  try {
    for (let second = 1; second <= seconds; second += 1) {
      for (let quarter = 0; quarter < 4; quarter += 1) {
        clock.advance(250);
        sim.tick(250);
      }
      if (second % every === 0) samples.push({ at: second, heapMiB: heap() });
    }
  } finally {
    await sim.stop();
  }
  return samples;
}

if (isMain(import.meta.url)) {
  const seconds = Number(argValue('seconds') ?? 1200);
  const every = Number(argValue('every') ?? 150);
  const samples = await simulatorHeap(seconds, every);
  console.log(samples.map((s) => `${s.at} s ${s.heapMiB.toFixed(1)} MiB`).join(' | '));
}
