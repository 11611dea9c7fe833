import { describe, expect, it } from 'vitest';
import type { UpstreamCall } from '../../src/collectors/http/observer.ts';
import { UpstreamHealth, type UpstreamReach } from '../../src/collectors/upstream-health.ts';

const noAnswer: UpstreamCall = { endpoint: 'ttwid', durationMs: 3, outcome: 'UPSTREAM_UNAVAILABLE', status: null, attempt: 0 };
const answered = (status: number, outcome: UpstreamCall['outcome']): UpstreamCall => ({ endpoint: 'room.reflow', durationMs: 3, outcome, status, attempt: 0 });

describe('UpstreamHealth', () => {
  it('turns UPSTREAM_UNREACHABLE on calls without an answer and back on any answer, reporting each change once', () => {
    const changes: [UpstreamReach, UpstreamReach][] = [];
    const health = new UpstreamHealth({ failuresToUnreachable: 2, onChange: (snapshot, previous) => changes.push([previous, snapshot.reach]) });
    health.onCall(noAnswer);
    expect(health.snapshot().reach).toBe('UNKNOWN');
    health.onCall(noAnswer);
    health.onCall(noAnswer);
    expect(health.snapshot()).toMatchObject({ reach: 'UPSTREAM_UNREACHABLE', lastFailure: 'ttwid: no answer (network error or timeout)' });
    // A refusal is still an answer: the route works, whatever Douyin thinks of the request.
    health.onCall(answered(403, 'BLOCKED'));
    health.onCall(answered(200, 'ok'));
    expect(health.snapshot()).toMatchObject({ reach: 'REACHABLE', lastFailure: null });
    expect(changes).toEqual([
      ['UNKNOWN', 'UPSTREAM_UNREACHABLE'],
      ['UPSTREAM_UNREACHABLE', 'REACHABLE'],
    ]);
  });

  it('does not count a call that failed for another reason than no answer', () => {
    const health = new UpstreamHealth();
    health.onCall({ ...noAnswer, outcome: 'RATE_LIMITED' });
    expect(health.snapshot().reach).toBe('UNKNOWN');
  });
});
