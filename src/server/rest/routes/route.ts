// What a vendor route is: its method, its envelope, and a function from checked parameters to
// the payload. Auth, rate limits and errors are the handler's.
import type { DouyinApi } from '../../../collectors/douyin-api.ts';
import type { ChatSessions } from '../chat-sessions.ts';
import type { EnvelopeStyle } from '../envelope.ts';
import type { VendorJson } from '../json.ts';
import type { Params } from '../params.ts';

export interface RouteContext {
  params: Params;
  /** Who is asking: the token id, or the address when the API is open. */
  callerKey: string;
  now: number;
  douyin: DouyinApi;
  /** null when no event store is configured. */
  chat: ChatSessions | null;
}

export interface Route {
  method: 'GET' | 'POST';
  envelope: EnvelopeStyle;
  run(context: RouteContext): Promise<VendorJson>;
}
