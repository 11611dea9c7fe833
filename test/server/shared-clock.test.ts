// The one interval behind every socket's deadlines: members are told the time at each tick,
// may leave while ticking, and no interval is left running once the last member has gone.
import { describe, expect, it } from 'vitest';
import { SharedClock, type Ticking } from '../../src/server/shared-clock.ts';

class Recorder implements Ticking {
  readonly ticks: number[] = [];
  constructor(private readonly onTick: (now: number) => void = () => undefined) {}
  tick(now: number): void {
    this.ticks.push(now);
    this.onTick(now);
  }
}

describe('SharedClock', () => {
  it('tells every member the same time at each tick, and only members', () => {
    let now = 1_000;
    const clock = new SharedClock<Recorder>(1_000, () => now);
    const a = new Recorder();
    const b = new Recorder();
    clock.add(a);
    clock.tick();
    clock.add(b);
    now = 2_000;
    clock.tick();
    clock.delete(a);
    now = 3_000;
    clock.tick();
    expect(a.ticks).toEqual([1_000, 2_000]);
    expect(b.ticks).toEqual([2_000, 3_000]);
    clock.delete(b);
  });

  it('lets a member leave during its own tick without skipping the others', () => {
    const clock = new SharedClock<Recorder>(1_000, () => 5);
    const leaver: Recorder = new Recorder(() => clock.delete(leaver));
    const stayer = new Recorder();
    clock.add(leaver);
    clock.add(stayer);
    clock.tick();
    clock.tick();
    expect(leaver.ticks).toEqual([5]);
    expect(stayer.ticks).toEqual([5, 5]);
    expect(clock.size).toBe(1);
    clock.delete(stayer);
  });

  it('runs its interval only while it has members', () => {
    const clock = new SharedClock<Recorder>(60_000);
    const a = new Recorder();
    const b = new Recorder();
    expect(clock.running).toBe(false);
    clock.add(a);
    clock.add(b);
    expect(clock.running).toBe(true);
    clock.delete(a);
    expect(clock.running).toBe(true);
    clock.delete(b);
    expect(clock.running).toBe(false);
    clock.delete(b);
    expect(clock.running).toBe(false);
  });
});
