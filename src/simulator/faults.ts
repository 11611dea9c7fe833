// Faults on demand. A rule targets a room, one push connection or one HTTP path (or every
// one of them when the target is empty) and fires a number of times before it retires.
import { SimulatorError } from './errors.ts';
import type { Corruption } from './frame-encoder.ts';

export type PushFault =
  /** Terminate the socket (no close frame) once this many msg frames went out. */
  | { kind: 'drop-after-frames'; frames: number }
  /** Send nothing more (no msg frames, no heartbeat replies) while the rule lives. */
  | { kind: 'stall' }
  /** Insert one broken msg frame before the next real one. */
  | { kind: 'corrupt-frame'; corruption: Corruption }
  /** Refuse the WebSocket handshake as Douyin does: HTTP 200, handshake-status 415. */
  | { kind: 'refuse-handshake' }
  /**
   * Withhold gift and rank messages, everything else still sent: what Douyin does to a session
   * it distrusts (issue 13). Matched by cookie as the connection's handshake carried it.
   */
  | { kind: 'hide-gifts' };

export type HttpFault =
  | { kind: 'delay'; ms: number }
  /** Never answer. */
  | { kind: 'hang' }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  /** HTTP 200 with an empty body: Douyin's risk-control answer. */
  | { kind: 'empty-body' }
  /** A captcha instead of the answer: empty body, bdturing-verify headers (protocol §6.5). */
  | { kind: 'captcha' }
  /** The acrawler challenge page (HTML with __ac_nonce) instead of JSON (protocol §6.5). */
  | { kind: 'challenge' }
  /** Any HTTP status with an empty body, e.g. 403 for an address Douyin blocks. */
  | { kind: 'status'; status: number };

export type Fault = PushFault | HttpFault;

export interface FaultTarget {
  roomId?: string;
  connectionId?: string;
  /** An upstream HTTP path such as /webcast/room/web/enter/. */
  path?: string;
  /**
   * A `name=value` the request's Cookie header must carry: refuses one cookie of a pool while
   * the others pass (HTTP faults and refuse-handshake).
   */
  cookie?: string;
}

/** The request's cookies, by name. */
export type RequestCookies = Readonly<Record<string, string>>;

export function parseCookieHeader(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    cookies[part.slice(0, index).trim()] = part.slice(index + 1).trim();
  }
  return cookies;
}

function cookieMatches(target: FaultTarget, cookies: RequestCookies): boolean {
  if (target.cookie === undefined) return true;
  const index = target.cookie.indexOf('=');
  const name = target.cookie.slice(0, index).trim();
  return cookies[name] === target.cookie.slice(index + 1).trim();
}

export interface FaultRule {
  id: string;
  target: FaultTarget;
  fault: Fault;
  /** How many more times it fires; Infinity until cleared. */
  remaining: number;
}

const HTTP_KINDS: ReadonlySet<Fault['kind']> = new Set(['delay', 'hang', 'rate-limit', 'empty-body', 'captcha', 'challenge', 'status']);

export function isHttpFault(fault: Fault): fault is HttpFault {
  return HTTP_KINDS.has(fault.kind);
}

/** A corrupt frame fires once unless told otherwise; the others last until cleared. */
function defaultTimes(fault: Fault): number {
  return fault.kind === 'corrupt-frame' ? 1 : Infinity;
}

function validate(fault: Fault, target: FaultTarget): void {
  if (fault.kind === 'drop-after-frames' && !(Number.isInteger(fault.frames) && fault.frames >= 1)) {
    throw new SimulatorError('BAD_REQUEST', 'drop-after-frames needs frames >= 1');
  }
  if (fault.kind === 'delay' && !(fault.ms >= 0)) throw new SimulatorError('BAD_REQUEST', 'delay needs ms >= 0');
  if (fault.kind === 'rate-limit' && !(fault.retryAfterSeconds >= 0)) {
    throw new SimulatorError('BAD_REQUEST', 'rate-limit needs retryAfterSeconds >= 0');
  }
  if (fault.kind === 'status' && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) {
    throw new SimulatorError('BAD_REQUEST', 'status needs an HTTP status from 100 to 599');
  }
  if (target.cookie !== undefined && !/^[^=;\s]+=[^;]*$/.test(target.cookie.trim())) {
    throw new SimulatorError('BAD_REQUEST', 'a cookie target is one name=value');
  }
  if (target.cookie !== undefined && !isHttpFault(fault) && fault.kind !== 'refuse-handshake' && fault.kind !== 'hide-gifts') {
    throw new SimulatorError('BAD_REQUEST', `${fault.kind} cannot target a cookie (a connection is already past its handshake)`);
  }
  if (isHttpFault(fault) && (target.roomId !== undefined || target.connectionId !== undefined)) {
    throw new SimulatorError('BAD_REQUEST', `${fault.kind} is an HTTP fault: target it by path`);
  }
  if (!isHttpFault(fault) && target.path !== undefined) {
    throw new SimulatorError('BAD_REQUEST', `${fault.kind} is a push fault: target it by roomId or connectionId`);
  }
}

export class FaultRegistry {
  private rules: FaultRule[] = [];
  private nextId = 1;

  add(target: FaultTarget, fault: Fault, times?: number): FaultRule {
    validate(fault, target);
    const remaining = times ?? defaultTimes(fault);
    if (!(remaining >= 1)) throw new SimulatorError('BAD_REQUEST', 'times must be at least 1');
    const rule: FaultRule = { id: `fault-${this.nextId++}`, target: { ...target }, fault, remaining };
    this.rules.push(rule);
    return rule;
  }

  remove(id: string): void {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    if (this.rules.length === before) throw new SimulatorError('FAULT_NOT_FOUND', `no fault ${id}`);
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule, target: { ...rule.target } }));
  }

  /** Push rules of a kind that apply to a connection of a room. */
  forConnection<K extends PushFault['kind']>(kind: K, roomId: string, connectionId: string): (FaultRule & { fault: Extract<PushFault, { kind: K }> })[] {
    return this.rules.filter(
      (rule): rule is FaultRule & { fault: Extract<PushFault, { kind: K }> } =>
        rule.fault.kind === kind &&
        (rule.target.connectionId === undefined || rule.target.connectionId === connectionId) &&
        (rule.target.roomId === undefined || rule.target.roomId === roomId),
    );
  }

  /** Whether a connection, by its room, id and handshake cookies, is to get no gift or rank message. */
  hidesGifts(roomId: string, connectionId: string, cookies: RequestCookies): boolean {
    return this.forConnection('hide-gifts', roomId, connectionId).some((rule) => cookieMatches(rule.target, cookies));
  }

  /** The first push rule of a kind for a handshake to a room (no connection exists yet). */
  forHandshake(roomId: string, cookies: RequestCookies = {}): FaultRule | undefined {
    return this.rules.find(
      (rule) =>
        rule.fault.kind === 'refuse-handshake' &&
        rule.target.connectionId === undefined &&
        (rule.target.roomId === undefined || rule.target.roomId === roomId) &&
        cookieMatches(rule.target, cookies),
    );
  }

  /** The first HTTP rule for a path. */
  forHttp(path: string, cookies: RequestCookies = {}): (FaultRule & { fault: HttpFault }) | undefined {
    return this.rules.find(
      (rule): rule is FaultRule & { fault: HttpFault } =>
        isHttpFault(rule.fault) && (rule.target.path === undefined || rule.target.path === path) && cookieMatches(rule.target, cookies),
    );
  }

  /** Counts one firing; the rule retires when it has none left. */
  consume(rule: FaultRule): void {
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
  }
}
