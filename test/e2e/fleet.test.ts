// issue 11 proof, fleet mode end to end: one simulator, three gateway processes (`npm start`'s
// entry point) on one PostgreSQL schema and one Redis prefix, a subscriber on each, the room sending
// about 200 messages a second. The owner is killed with SIGKILL three times at seeded moments (each
// killed instance comes back watching the room), then frozen with SIGSTOP past its lease and thawed,
// then drained with SIGTERM; subscribers whose instance went
// away resume on another one with their cursor, and Redis is cut for 8 s through a TCP proxy.
// Checked against the simulator's ground truth and the store:
// - sampled every 250 ms, at most one open push connection for the room, two only inside a
//   takeover; push handshakes = 1 + takeovers;
// - every subscriber gets strictly increasing sequences, each once, none missing between its
//   first and its last; every message the room sent is stored once;
// - nothing is stored under a superseded epoch once the next epoch has written (the fence);
// - an instance sharing the database without REDIS_URL is refused at start-up (exit 2), and so is
//   REDIS_URL with the embedded store.
import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import WebSocket from 'ws';
import { startSimulator, type Simulator, type SimRoom } from '../../src/simulator/index.ts';
import { createPrng } from '../../src/simulator/prng.ts';
import { decodeCursor } from '../../src/store/cursor.ts';
import { TEST_DATABASE_URL } from '../store/pg-harness.ts';
import { startCuttableProxy, type CuttableProxy } from '../support/cuttable-proxy.ts';
import { until } from '../support/until.ts';
import { startMain, type MainProcess } from './fixtures/gateway-main.ts';
import { pgUnavailable, postgresStore, type StoreUnderTest } from './fixtures/stores.ts';

const LEASE_TTL_MS = 2_000;
const REDIS_CUT_MS = 8_000;
const KILL_ROUNDS = 3;
const START_MS = 90_000;

interface Received {
  typename: string;
  id: string;
  seq: number | null;
}

/** A graphql-ws subscriber that moves to another instance with its last cursor when its own goes away. */
class Subscriber {
  readonly received: Received[] = [];
  readonly instances: number[] = [];
  private client: Client | null = null;
  private stopped = false;

  constructor(
    private readonly roomId: string,
    private readonly pickInstance: () => Promise<{ index: number; url: string }>,
  ) {}

  start(): void {
    void this.connect();
  }

  lastCursor(): string | null {
    for (let i = this.received.length - 1; i >= 0; i -= 1) {
      const event = this.received[i]!;
      if (event.seq !== null) return cursors.get(event) ?? null;
    }
    return null;
  }

  ids(): Set<string> {
    return new Set(this.received.map((event) => event.id));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.dispose();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { index, url } = await this.pickInstance();
    this.instances.push(index);
    const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    this.client = client;
    const after = this.lastCursor();
    const query = 'subscription ($roomId: ID!, $after: String) { roomEvents(roomId: $roomId, after: $after) { __typename id cursor } }';
    let moved = false;
    const moveOn = () => {
      if (moved) return;
      moved = true;
      void client.dispose();
      void this.connect();
    };
    client.subscribe<{ roomEvents: { __typename: string; id: string; cursor: string | null } }>(
      { query, variables: { roomId: this.roomId, after } },
      {
        next: ({ data }) => {
          if (!data) return;
          const { __typename, id, cursor } = data.roomEvents;
          const event: Received = { typename: __typename, id, seq: cursor === null ? null : decodeCursor(cursor).seq };
          if (cursor !== null) cursors.set(event, cursor);
          this.received.push(event);
        },
        error: moveOn,
        complete: moveOn,
      },
    );
  }
}
const cursors = new WeakMap<Received, string>();

describe.skipIf(pgUnavailable !== null)('three gateway instances on one PostgreSQL and one Redis', { timeout: 300_000 }, () => {
  let sim: Simulator;
  let room: SimRoom;
  let store: StoreUnderTest;
  let db: pg.Client;
  let redis: CuttableProxy;
  const gateways: MainProcess[] = [];
  const subscribers: Subscriber[] = [];
  const redisPrefix = `test:fleet:${randomBytes(4).toString('hex')}:`;
  let baseEnv: Record<string, string>;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 'fleet', autoTraffic: false, rooms: [{ rate: 0 }], backlogSize: 100_000 });
    room = sim.liveRooms()[0]!;
    store = await postgresStore('fleet');
    db = new pg.Client({ connectionString: store.env.DATABASE_URL ?? TEST_DATABASE_URL });
    await db.connect();
    redis = await startCuttableProxy({ host: '127.0.0.1', port: 6379 });
    baseEnv = {
      ...store.env,
      DOUYIN_UPSTREAM: 'live',
      DOUYIN_WEB_URL: sim.url,
      DOUYIN_PUSH_URL: sim.pushUrl,
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      REDIS_PREFIX: redisPrefix,
      LEASE_TTL_MS: String(LEASE_TTL_MS),
      ROOM_LINGER_MS: '600000',
      DRAIN_MS: '300',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SUBSCRIBER_BUFFER: '1000000',
      RATE_LIMIT_PER_MIN: '100000',
    };
  }, START_MS);

  afterAll(async () => {
    await Promise.all(subscribers.map((subscriber) => subscriber.stop()));
    for (const gateway of gateways) gateway.kill('SIGCONT');
    for (const gateway of gateways) gateway.kill('SIGKILL');
    await Promise.all(gateways.map((gateway) => gateway.exited));
    await db?.end();
    await redis?.close();
    await store?.dispose();
    await sim?.stop();
  }, 60_000);

  const openConnections = () => sim.connections().filter((c) => c.roomId === room.id && !c.closed);
  const handshakes = () => sim.connections().filter((c) => c.roomId === room.id).length;

  /** Which live instance says it owns the room, once exactly one does. */
  async function ownerIndex(): Promise<number> {
    let owners: number[] = [];
    await until(async () => (owners = await ownersByMetrics()).length === 1, () => `one owner, metrics say ${JSON.stringify(owners)}`, 30_000);
    return owners[0]!;
  }

  async function ownersByMetrics(): Promise<number[]> {
    const owners: number[] = [];
    for (const [index, gateway] of gateways.entries()) {
      if (gateway.hasExited()) continue;
      const metrics = await fetch((await gateway.url).replace(/\/graphql$/, '/metrics'), { signal: AbortSignal.timeout(2_000) })
        .then((response) => response.text())
        .catch(() => '');
      if (/^\w*rooms_owned 1$/m.test(metrics)) owners.push(index);
    }
    return owners;
  }

  /** The room's lease epoch: 1 + the takeovers so far. */
  async function epoch(): Promise<number> {
    const { rows } = await db.query<{ epoch: string }>('SELECT epoch FROM room_leases WHERE room_id = $1', [room.id]);
    return Number(rows[0]?.epoch ?? 0);
  }

  async function epochRanges(): Promise<{ epoch: number; first: number; last: number; rows: number }[]> {
    const { rows } = await db.query<{ epoch: string; first: string; last: string; rows: string }>(
      `SELECT epoch, min(seq) AS first, max(seq) AS last, count(*) AS rows FROM room_events
       WHERE room_id = $1 AND epoch IS NOT NULL GROUP BY epoch ORDER BY epoch`,
      [room.id],
    );
    return rows.map((row) => ({ epoch: Number(row.epoch), first: Number(row.first), last: Number(row.last), rows: Number(row.rows) }));
  }

  it('collects with one connection at a time through repeated SIGKILL, SIGSTOP and SIGTERM of the owner, and every subscriber gets every event once, in order', async () => {
    // When each fault began, to place anything missing in the run.
    const phases: { name: string; at: number }[] = [];
    const phase = (name: string) => phases.push({ name, at: Date.now() });
    // On failure, what each instance said about its leases: the order of takeovers explains most.
    onTestFailed(() => {
      for (const gateway of gateways) {
        const lines = gateway
          .stdout()
          .split('\n')
          .filter((line) => /lease|fenc|collecting|shutting|drain|error/i.test(line) && !/bus error|fleet-wide limits/.test(line))
          .map((line) => line.slice(0, 400));
        process.stdout.write(`--- gateway ${gateway.pid}${gateway.hasExited() ? ' (exited)' : ''}\n${lines.join('\n').slice(-8_000)}\n${gateway.stderr().slice(-2_000)}\n`);
      }
      process.stdout.write(`--- phases ${JSON.stringify(phases)}\n`);
    });
    for (let i = 0; i < 3; i += 1) gateways.push(startMain({ ...baseEnv, INSTANCE_ID: `fleet-${i}` }));
    await Promise.all(gateways.map((gateway) => gateway.url));

    // Sampled every 250 ms for the whole run.
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(openConnections().length), 250);
    let traffic: NodeJS.Timeout | undefined;
    try {
      const alive = async (preferred: number) => {
        const order = [preferred, ...[0, 1, 2].filter((i) => i !== preferred)];
        for (const index of order) {
          const gateway = gateways[index]!;
          if (gateway.hasExited() || stoppedIndex === index) continue;
          return { index, url: await gateway.url };
        }
        throw new Error('no gateway left');
      };
      let stoppedIndex = -1;
      for (let i = 0; i < 3; i += 1) {
        const subscriber = new Subscriber(room.id, () => alive(i));
        subscribers.push(subscriber);
        subscriber.start();
      }
      // The room starts sending once collected: what a room sent before anyone listened is not resent.
      await until(() => openConnections().some((c) => c.heartbeatsReceived > 0), 'the first push connection', 60_000);
      // About 200 messages a second, as a busy room sends.
      traffic = setInterval(() => room.emit(10, { kinds: ['chat', 'gift', 'like', 'member'] }), 50);
      const chatsAtLeast = (n: number) => () => subscribers.every((s) => s.received.filter((e) => e.typename === 'ChatEvent').length >= n);
      await until(chatsAtLeast(50), 'every subscriber to get 50 chats', 60_000);
      expect(handshakes()).toBe(await epoch());

      // 1. SIGKILL the owner, three times at seeded moments: each time another instance takes
      // over without any client doing anything, and the killed one comes back watching the room.
      const progress = () => Math.min(...subscribers.map((s) => s.received.length));
      const killMoments = createPrng('fleet-kills');
      const takeoverMs: number[] = [];
      let current = await epoch();
      let before = progress();
      for (let round = 1; round <= KILL_ROUNDS; round += 1) {
        const wait = killMoments.int(50, 400);
        await until(() => progress() > before + wait, `${wait} events before kill ${round}`, 60_000);
        const owner = await ownerIndex();
        current = await epoch();
        phase(`SIGKILL ${owner}`);
        gateways[owner]!.kill('SIGKILL');
        await gateways[owner]!.exited;
        const killedAt = Date.now();
        await until(async () => (await epoch()) > current && openConnections().length === 1, `a takeover after kill ${round}`, 30_000);
        takeoverMs.push(Date.now() - killedAt);
        gateways[owner] = startMain({ ...baseEnv, INSTANCE_ID: `fleet-${owner}-${round}`, WATCH_ROOMS: room.id });
        await gateways[owner]!.url;
        before = progress();
      }
      await until(() => progress() > before + 200, 'events after the takeovers', 60_000);

      // 2. Redis cut for 8 s: every instance says so on /ready, and subscribers keep receiving
      // from the store meanwhile.
      phase('Redis cut');
      redis.cut();
      const cutAt = Date.now();
      before = progress();
      const ready = async (gateway: MainProcess) => (await fetch((await gateway.url).replace(/\/graphql$/, '/ready'))).status;
      const survivors = gateways.filter((gateway) => !gateway.hasExited());
      await until(async () => (await Promise.all(survivors.map(ready))).every((status) => status === 503), '/ready 503 on every instance', 30_000);
      await until(() => progress() > before + 200, 'events while Redis is cut', 60_000);
      await until(() => Date.now() - cutAt >= REDIS_CUT_MS, 'the end of the cut', REDIS_CUT_MS + 5_000);
      redis.restore();
      phase('Redis back');
      await until(async () => (await Promise.all(survivors.map(ready))).every((status) => status === 200), '/ready 200 on every instance', 30_000);
      before = progress();
      await until(() => progress() > before + 200, 'events after Redis is back', 60_000);

      // 3. SIGSTOP the new owner past its lease: another instance takes over; thawed, the frozen
      // one stops collecting and whatever it still sends is refused by the fence.
      const second = await ownerIndex();
      current = await epoch();
      stoppedIndex = second;
      phase(`SIGSTOP ${second}`);
      gateways[second]!.kill('SIGSTOP');
      await until(async () => (await epoch()) > current, 'a takeover from the frozen owner', 30_000);
      before = progress();
      phase(`SIGCONT ${second}`);
      gateways[second]!.kill('SIGCONT');
      stoppedIndex = -1;
      await until(() => openConnections().length === 1, 'the thawed instance to close its connection', 30_000);
      await until(() => progress() > before + 200, 'events after the thaw', 60_000);

      // 4. SIGTERM the current owner: it drains, hands the room over at once, and exits 0.
      const third = await ownerIndex();
      current = await epoch();
      phase(`SIGTERM ${third}`);
      gateways[third]!.kill('SIGTERM');
      let drained: { code: number | null } | null = null;
      void gateways[third]!.exited.then((exit) => (drained = exit));
      await until(() => drained !== null, 'the drained instance to exit', 30_000);
      expect(drained!.code).toBe(0);
      await until(async () => (await epoch()) > current, 'a takeover after SIGTERM', 30_000);
      before = progress();
      await until(() => progress() > before + 200, 'events after the drain', 60_000);

      // The last message reaches every subscriber.
      clearInterval(traffic);
      const last = room.emit(1, { kinds: ['chat'] })[0]!;
      await until(() => subscribers.every((s) => s.ids().has(last.msgId)), 'the last message at every subscriber', 60_000);
      process.stdout.write(`fleet: takeovers after SIGKILL seen by the simulator in ${takeoverMs.join(', ')} ms (lease ${LEASE_TTL_MS} ms)\n`);
    } finally {
      clearInterval(traffic);
      clearInterval(sampler);
    }

    // At most one open connection, two only inside a takeover; one handshake per owner.
    expect(Math.max(...samples)).toBeLessThanOrEqual(2);
    expect(await epoch()).toBeGreaterThanOrEqual(KILL_ROUNDS + 3);
    expect(handshakes()).toBe(await epoch());

    // Every message the room sent is stored (once: msg_id is unique per room), or lies inside a
    // stored StreamGapEvent: a stretch no instance could fetch again.
    const { rows } = await db.query<{ msg_id: string; type: string; body: { from?: number; to?: number } }>(
      'SELECT msg_id, type, body FROM room_events WHERE room_id = $1',
      [room.id],
    );
    const storedIds = new Set(rows.map((row) => row.msg_id));
    const gaps = rows.filter((row) => row.type === 'StreamGapEvent').map((row) => ({ from: Number(row.body.from), to: Number(row.body.to) }));
    const sent = room.truth().filter((record) => !record.duplicate);
    const missing = sent.filter((record) => !storedIds.has(record.msgId));
    const uncovered = missing.filter((record) => !gaps.some((gap) => record.sentAt >= gap.from && record.sentAt <= gap.to));
    const resumes = sim.connections().filter((c) => c.roomId === room.id).map((c) => c.resume);
    process.stdout.write(`fleet: ${sent.length} sent, ${missing.length} in ${gaps.length} gap(s); push resumes ${resumes.join(', ')}\n`);
    if (uncovered.length > 0) {
      // Where in the run the loss fell, and what it was: the phases and each epoch's span.
      const at = (ms: number) => phases.filter((p) => p.at <= ms).at(-1)?.name ?? 'start';
      const spans = await db.query('SELECT epoch, min(created_at) AS first, max(created_at) AS last, count(*) AS n FROM room_events WHERE room_id = $1 GROUP BY epoch ORDER BY epoch', [room.id]);
      process.stdout.write(
        `fleet: missing ${JSON.stringify(uncovered.slice(0, 20).map((r) => ({ seq: r.seq, kind: r.kind, msgId: r.msgId, sentAt: r.sentAt, during: at(r.sentAt) })))}\n` +
          `fleet: phases ${JSON.stringify(phases)}\nfleet: epochs ${JSON.stringify(spans.rows)}\n` +
          `fleet: connections ${JSON.stringify(sim.connections().filter((c) => c.roomId === room.id).map((c) => ({ resume: c.resume, cursor: c.query.cursor, openedAt: c.openedAt, sent: c.messagesSent, cutOff: c.cutOff })))}\n`,
      );
    }
    expect(uncovered.map((record) => record.seq)).toEqual([]);

    // The fence: each epoch's rows come after every row of the epoch before it.
    const ranges = await epochRanges();
    expect(ranges.length).toBeGreaterThanOrEqual(KILL_ROUNDS + 3);
    for (let i = 1; i < ranges.length; i += 1) expect(ranges[i]!.first).toBeGreaterThan(ranges[i - 1]!.last);

    // Every subscriber: strictly increasing, no duplicate, nothing missing between first and last.
    const { rows: seqRows } = await db.query<{ seq: string }>('SELECT seq FROM room_events WHERE room_id = $1 ORDER BY seq', [room.id]);
    const storedSeqs = seqRows.map((row) => Number(row.seq));
    for (const subscriber of subscribers) {
      const seqs = subscriber.received.flatMap((event) => (event.seq === null ? [] : [event.seq]));
      for (let i = 1; i < seqs.length; i += 1) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);
      const expected = storedSeqs.filter((seq) => seq >= seqs[0]! && seq <= seqs.at(-1)!);
      expect(seqs).toEqual(expected);
    }
    // The subscribers whose instances went away resumed elsewhere.
    expect(subscribers.filter((subscriber) => subscriber.instances.length > 1).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses to start an instance that would share the database without REDIS_URL', async () => {
    const { REDIS_URL: _redis, REDIS_PREFIX: _prefix, ...withoutRedis } = baseEnv;
    const lone = startMain({ ...withoutRedis, INSTANCE_ID: 'fleet-lone' });
    gateways.push(lone);
    const listened = await Promise.race([lone.url.then(() => true), lone.exited.then(() => false)]);
    expect(listened, lone.stderr()).toBe(false);
    const { code } = await lone.exited;
    expect(code).toBe(2);
    expect(lone.stderr()).toMatch(/REDIS_URL/);
    expect(lone.stderr()).toMatch(/FLEET_MISCONFIGURED/);
  });
});

describe('a fleet setting that would double every event', () => {
  it('refuses REDIS_URL with the embedded store at start-up, saying to set DATABASE_URL', async () => {
    const gateway = startMain({ REDIS_URL: 'redis://127.0.0.1:6379', DATA_DIR: 'memory://', PORT: '0', SIMULATOR_PORT: '0', HOST: '127.0.0.1' });
    const { code } = await gateway.exited;
    expect(code).toBe(2);
    expect(gateway.stderr()).toMatch(/REDIS_URL without DATABASE_URL/);
    expect(gateway.stderr()).toMatch(/set DATABASE_URL/);
    expect(gateway.stderr()).not.toMatch(/\n\s+at /);
  }, 60_000);
});
