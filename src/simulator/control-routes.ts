// The control API of the standalone simulator, under /__sim/: the same operations tests call
// on the Simulator object, as JSON over HTTP. Bad input gets 400 with a code, never a crash.
import { z } from 'zod';
import { SimulatorError, type SimulatorErrorCode } from './errors.ts';
import { MESSAGE_KINDS, type MessageKind } from './ground-truth.ts';
import type { Reply } from './http-routes.ts';
import { toJson } from './json.ts';
import type { Simulator } from './simulator.ts';

const kindSchema = z.enum(MESSAGE_KINDS as [MessageKind, ...MessageKind[]]);

const roomSpecSchema = z
  .object({
    title: z.string().min(1).max(100),
    webRid: z.string().regex(/^\d{6,16}$/),
    roomId: z.string().regex(/^\d{17,20}$/),
    viewers: z.number().int().min(0).max(100_000_000),
    goods: z.boolean(),
    rate: z.number().min(0).max(100_000),
    duplicateChatRate: z.number().min(0).max(1),
    batch: z.object({ min: z.number().int().min(1), max: z.number().int().min(1).max(1000) }),
    live: z.boolean(),
  })
  .partial()
  .strict();

const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('drop-after-frames'), frames: z.number().int().min(1) }),
  z.object({ kind: z.literal('stall') }),
  z.object({ kind: z.literal('corrupt-frame'), corruption: z.enum(['bad-gzip', 'truncated-protobuf', 'truncated-frame']) }),
  z.object({ kind: z.literal('refuse-handshake') }),
  z.object({ kind: z.literal('hide-gifts') }),
  z.object({ kind: z.literal('delay'), ms: z.number().int().min(0).max(3_600_000) }),
  z.object({ kind: z.literal('hang') }),
  z.object({ kind: z.literal('rate-limit'), retryAfterSeconds: z.number().int().min(0) }),
  z.object({ kind: z.literal('empty-body') }),
  z.object({ kind: z.literal('captcha') }),
  z.object({ kind: z.literal('challenge') }),
  z.object({ kind: z.literal('status'), status: z.number().int().min(100).max(599) }),
  z.object({ kind: z.literal('duplicate-chats'), rate: z.number().min(0).max(1) }),
  z.object({ kind: z.literal('end-live') }),
]);

const faultRequestSchema = z.object({
  target: z.object({ roomId: z.string(), connectionId: z.string(), path: z.string(), cookie: z.string() }).partial().strict().optional(),
  fault: faultSchema,
  times: z.number().int().min(1).optional(),
});

const emitSchema = z.object({
  count: z.number().int().min(0).max(100_000),
  kinds: z.array(kindSchema).min(1).optional(),
  perFrame: z.number().int().min(1).max(1000).optional(),
});

const STATUS_BY_CODE: Record<SimulatorErrorCode, number> = {
  ROOM_NOT_FOUND: 404,
  FAULT_NOT_FOUND: 404,
  ROOM_ENDED: 409,
  KIND_UNAVAILABLE: 409,
  BAD_REQUEST: 400,
};

function json(status: number, body: unknown): Reply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: toJson(body) };
}

function errorReply(code: SimulatorErrorCode, message: string): Reply {
  return json(STATUS_BY_CODE[code], { error: { code, message } });
}

function parseBody<T>(schema: z.ZodType<T>, body: string): T {
  let value: unknown;
  try {
    value = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw new SimulatorError('BAD_REQUEST', 'the body is not JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
    throw new SimulatorError('BAD_REQUEST', problems.join('; '));
  }
  return parsed.data;
}

function mapToObject(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries(map);
}

type Route = { method: string; pattern: RegExp; run: (sim: Simulator, match: string[], url: URL, body: string) => Reply };

const ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/__sim\/?$/,
    run: (sim) => json(200, { url: sim.url, pushUrl: sim.pushUrl, seed: sim.seed, rooms: sim.rooms().map((r) => r.summary()) }),
  },
  { method: 'GET', pattern: /^\/__sim\/rooms$/, run: (sim) => json(200, sim.rooms().map((r) => r.summary())) },
  {
    method: 'POST',
    pattern: /^\/__sim\/rooms$/,
    run: (sim, _m, _u, body) => json(201, sim.createRoom(parseBody(roomSpecSchema, body)).summary()),
  },
  { method: 'GET', pattern: /^\/__sim\/rooms\/(\d+)$/, run: (sim, [id]) => json(200, sim.requireRoom(id as string).summary()) },
  {
    method: 'POST',
    pattern: /^\/__sim\/rooms\/(\d+)\/end$/,
    run: (sim, [id]) => {
      sim.endRoom(id as string);
      return json(200, sim.requireRoom(id as string).summary());
    },
  },
  {
    method: 'POST',
    pattern: /^\/__sim\/rooms\/(\d+)\/restart$/,
    run: (sim, [id], _u, body) => json(201, sim.restartRoom(id as string, parseBody(roomSpecSchema, body)).summary()),
  },
  {
    method: 'POST',
    pattern: /^\/__sim\/rooms\/(\d+)\/rate$/,
    run: (sim, [id], _u, body) => {
      const { rate } = parseBody(z.object({ rate: z.number().min(0).max(100_000) }), body);
      const room = sim.requireRoom(id as string);
      room.rate = rate;
      return json(200, room.summary());
    },
  },
  {
    method: 'POST',
    pattern: /^\/__sim\/rooms\/(\d+)\/emit$/,
    run: (sim, [id], _u, body) => {
      const { count, kinds, perFrame } = parseBody(emitSchema, body);
      return json(200, sim.requireRoom(id as string).emit(count, { ...(kinds ? { kinds } : {}), ...(perFrame ? { perFrame } : {}) }));
    },
  },
  {
    method: 'GET',
    pattern: /^\/__sim\/rooms\/(\d+)\/truth$/,
    run: (sim, [id], url) => {
      const kind = url.searchParams.get('kind');
      const records = sim.groundTruth(id as string);
      return json(200, kind ? records.filter((r) => r.kind === kind) : records);
    },
  },
  {
    method: 'GET',
    pattern: /^\/__sim\/rooms\/(\d+)\/gifts$/,
    run: (sim, [id]) => {
      const totals = sim.giftTotals(id as string);
      return json(200, { diamonds: totals.diamonds, gifts: totals.gifts, byUser: mapToObject(totals.byUser), byGift: mapToObject(totals.byGift) });
    },
  },
  {
    method: 'POST',
    pattern: /^\/__sim\/tick$/,
    run: (sim, _m, _u, body) => json(200, sim.tick(parseBody(z.object({ ms: z.number().min(0).max(3_600_000) }), body).ms)),
  },
  { method: 'GET', pattern: /^\/__sim\/faults$/, run: (sim) => json(200, sim.faults()) },
  {
    method: 'POST',
    pattern: /^\/__sim\/faults$/,
    run: (sim, _m, _u, body) => json(201, { id: sim.injectFault(parseBody(faultRequestSchema, body)) }),
  },
  {
    method: 'DELETE',
    pattern: /^\/__sim\/faults$/,
    run: (sim) => {
      sim.clearFaults();
      return json(200, { cleared: true });
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/__sim\/faults\/([\w-]+)$/,
    run: (sim, [id]) => {
      sim.clearFaults(id as string);
      return json(200, { cleared: id });
    },
  },
  {
    method: 'GET',
    pattern: /^\/__sim\/requests$/,
    run: (sim, _m, url) => {
      const kind = url.searchParams.get('kind');
      const path = url.searchParams.get('path');
      if (kind !== null && kind !== 'http' && kind !== 'ws') throw new SimulatorError('BAD_REQUEST', 'kind must be http or ws');
      return json(200, sim.requests({ ...(kind ? { kind } : {}), ...(path ? { path } : {}) }));
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/__sim\/requests$/,
    run: (sim) => {
      sim.clearRequests();
      return json(200, { cleared: true });
    },
  },
  { method: 'GET', pattern: /^\/__sim\/connections$/, run: (sim) => json(200, sim.connections()) },
  {
    method: 'POST',
    pattern: /^\/__sim\/connections\/([\w-]+)\/drop$/,
    run: (sim, [id]) => {
      sim.dropConnection(id as string);
      return json(200, { dropped: id });
    },
  },
];

export function handleControl(sim: Simulator, method: string, url: URL, body: string): Reply {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const candidates = ROUTES.filter((route) => route.pattern.test(path));
  if (candidates.length === 0) return json(404, { error: { code: 'BAD_REQUEST', message: `no control route ${url.pathname}` } });
  const route = candidates.find((r) => r.method === method);
  if (!route) return json(405, { error: { code: 'BAD_REQUEST', message: `${method} is not allowed on ${url.pathname}` } });
  try {
    return route.run(sim, (route.pattern.exec(path) as RegExpExecArray).slice(1), url, body);
  } catch (error) {
    if (error instanceof SimulatorError) return errorReply(error.code, error.message);
    return json(500, { error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) } });
  }
}
