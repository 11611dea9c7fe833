// The room events the dashboard shows, one selection for both views, and how each reads.
import { clockTime } from './format.ts';

export const EVENT_TYPES = ['CHAT', 'GIFT', 'FOLLOW', 'VIEWER_COUNT', 'STREAM_GAP'];

export const EVENT_FIELDS = `
  __typename id roomId createdAt
  user { id nickname }
  ... on ChatEvent { content }
  ... on GiftEvent { phase totalCount totalDiamonds gift { name } }
  ... on ViewerCountEvent { current }
  ... on StreamGapEvent { from to reason }
`;

export interface ShownEvent {
  __typename: string;
  id: string;
  roomId: string;
  createdAt: string;
  user: { id: string; nickname: string } | null;
  content?: string;
  phase?: string;
  totalCount?: number;
  totalDiamonds?: number;
  gift?: { name: string };
  current?: number;
  from?: string;
  to?: string;
  reason?: string;
}

/** What a ticker line says, or null for events the ticker skips (a combo still going, counts). */
export function tickerLine(event: ShownEvent): { kind: string; who: string; text: string } | null {
  const who = event.user?.nickname ?? '';
  switch (event.__typename) {
    case 'ChatEvent':
      return { kind: 'chat', who, text: event.content ?? '' };
    case 'GiftEvent':
      if (event.phase !== 'FINAL') return null;
      return { kind: 'gift', who, text: `送出 ${event.gift?.name ?? '礼物'} ×${event.totalCount ?? 1} · ${event.totalDiamonds ?? 0} 钻` };
    case 'FollowEvent':
      return { kind: 'follow', who, text: '关注了主播' };
    case 'StreamGapEvent':
      return { kind: 'gap', who: '', text: `缺口 gap ${clockTime(event.from ?? event.createdAt)}–${clockTime(event.to ?? event.createdAt)}: ${event.reason ?? ''}` };
    default:
      return null;
  }
}
