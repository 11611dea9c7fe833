// /dashboard/rooms/:roomId: one room's live chat, its gift leaderboard from the gateway's gift
// ledger (diamonds per gifter, each combo counted once), the viewer count over time, the
// collector's state and any gaps in what was received.
import { linePath, type ChartPoint } from './chart.ts';
import type { Gateway } from './client.ts';
import { h, prependCapped, replaceChildren } from './dom.ts';
import { EVENT_FIELDS, EVENT_TYPES, tickerLine, type ShownEvent } from './events.ts';
import { clockTime, compactCount, stateLabel, stateTone } from './format.ts';

interface RoomView {
  id: string;
  title: string;
  webRid: string | null;
  viewerCount: number | null;
  startedAt: string | null;
  owner: { nickname: string } | null;
  stats: { giftDiamonds: number; topGifters: { userId: string; diamonds: number; giftCount: number; user: { nickname: string } | null }[] } | null;
}

const ROOM = `query($id: ID!) { liveRoom(roomId: $id) { id title webRid viewerCount startedAt owner { nickname }
  stats { giftDiamonds topGifters(first: 10) { userId diamonds giftCount user { nickname } } } } }`;
const STATS = 'query($id: ID!) { liveRoom(roomId: $id) { stats { giftDiamonds topGifters(first: 10) { userId diamonds giftCount user { nickname } } } } }';
const STATUS = 'subscription($ids: [ID!]!) { roomStatus(roomIds: $ids) { roomId connectionState reason at } }';
const EVENTS = `subscription($roomId: ID!, $types: [RoomEventType!]) { roomEvents(roomId: $roomId, types: $types) { ${EVENT_FIELDS} } }`;

const CHART = { width: 560, height: 160, padding: 8 };
const CHART_POINTS = 300;
const CHAT_LINES = 200;
/** Gifts come in bursts: the leaderboard is read again at most this often. */
const LEADERBOARD_EVERY_MS = 400;

export function showRoom(root: HTMLElement, gateway: Gateway, roomId: string): void {
  const title = h('h2', { class: 'room-title' }, roomId);
  const state = h('span', { class: 'pill idle', id: 'state' }, stateLabel(null));
  const reason = h('span', { class: 'reason' });
  const viewers = h('span', { class: 'count', id: 'viewers' }, '—');
  const chat = h('ol', { class: 'ticker', id: 'chat' });
  const leaderboard = h('ol', { class: 'leaderboard', id: 'leaderboard' });
  const total = h('span', { id: 'diamonds' }, '0');
  const gaps = h('ul', { class: 'gaps', id: 'gaps' }, h('li', { class: 'empty' }, '没有缺口 · no gaps'));
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  line.setAttribute('class', 'line');
  const chart = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  chart.setAttribute('viewBox', `0 0 ${CHART.width} ${CHART.height}`);
  chart.setAttribute('id', 'chart');
  chart.append(line);
  const points: ChartPoint[] = [];

  replaceChildren(
    root,
    h('nav', { class: 'crumbs' }, h('a', { href: '/dashboard' }, '← 全部 · all watches')),
    h('div', { class: 'room-head' }, title, state, reason),
    h(
      'div',
      { class: 'room-grid' },
      h('section', { class: 'panel chat' }, h('h2', {}, '弹幕 · Chat'), chat),
      h(
        'div',
        { class: 'side' },
        h('section', { class: 'panel' }, h('h2', {}, '在线人数 · Viewers ', viewers), chart),
        h('section', { class: 'panel' }, h('h2', {}, '礼物榜 · Gifts (', total, ' 钻)'), leaderboard),
        h('section', { class: 'panel' }, h('h2', {}, '缺口 · Gaps'), gaps),
      ),
    ),
  );

  const addPoint = (at: number, value: number) => {
    points.push({ at, value });
    if (points.length > CHART_POINTS) points.shift();
    line.setAttribute('d', linePath(points, CHART));
    chart.dataset['points'] = String(points.length);
    viewers.textContent = compactCount(value);
  };

  const showLeaderboard = (stats: RoomView['stats']) => {
    if (stats === null) return;
    total.textContent = String(stats.giftDiamonds);
    replaceChildren(
      leaderboard,
      ...stats.topGifters.map((gifter) =>
        h('li', { 'data-user-id': gifter.userId }, h('b', {}, gifter.user?.nickname ?? gifter.userId), h('span', { class: 'diamonds' }, `${gifter.diamonds} 钻`), h('span', { class: 'gifts' }, ` · ${gifter.giftCount} 次`)),
      ),
    );
  };

  let leaderboardTimer: ReturnType<typeof setTimeout> | null = null;
  const reloadLeaderboard = () => {
    if (leaderboardTimer !== null) return;
    leaderboardTimer = setTimeout(() => {
      leaderboardTimer = null;
      gateway
        .request<{ liveRoom: Pick<RoomView, 'stats'> | null }>(STATS, { id: roomId })
        .then(({ liveRoom }) => showLeaderboard(liveRoom?.stats ?? null))
        .catch(() => undefined);
    }, LEADERBOARD_EVERY_MS);
  };

  const onEvent = (event: ShownEvent) => {
    switch (event.__typename) {
      case 'ViewerCountEvent':
        // Plotted when seen: Douyin's clock and this browser's need not agree.
        if (event.current !== undefined) addPoint(Date.now(), event.current);
        return;
      case 'GiftEvent':
        // The ledger has stored the gift by the time it is published: read the board again.
        reloadLeaderboard();
        break;
      case 'StreamGapEvent':
        gaps.querySelector('.empty')?.remove();
        gaps.append(h('li', {}, tickerLine(event)?.text ?? ''));
        return;
    }
    const shown = tickerLine(event);
    if (shown === null) return;
    prependCapped(chat, h('li', { class: `line ${shown.kind}` }, h('time', {}, clockTime(event.createdAt)), h('b', {}, shown.who), h('span', { class: 'text' }, shown.text)), CHAT_LINES);
  };

  const load = () =>
    gateway
      .request<{ liveRoom: RoomView | null }>(ROOM, { id: roomId })
      .then(({ liveRoom }) => {
        if (liveRoom === null) return;
        title.textContent = `${liveRoom.owner?.nickname ?? ''} · ${liveRoom.title}`;
        document.title = `${liveRoom.owner?.nickname ?? roomId} · 直播监控`;
        if (points.length === 0 && liveRoom.viewerCount !== null) addPoint(Date.now(), liveRoom.viewerCount);
        showLeaderboard(liveRoom.stats);
      })
      .catch((error: unknown) => {
        reason.textContent = (error as Error).message;
      });

  gateway.subscribe<{ roomStatus: { connectionState: string | null; reason: string | null } }>(STATUS, { ids: [roomId] }, ({ roomStatus }) => {
    state.className = `pill ${stateTone(roomStatus.connectionState)}`;
    state.dataset['state'] = roomStatus.connectionState ?? '';
    state.textContent = stateLabel(roomStatus.connectionState);
    reason.textContent = roomStatus.reason ?? '';
  });
  gateway.subscribe<{ roomEvents: ShownEvent }>(EVENTS, { roomId, types: EVENT_TYPES }, ({ roomEvents }) => onEvent(roomEvents), (message) => {
    reason.textContent = message;
  });
  gateway.onConnection((connection) => {
    if (connection === 'connected') void load();
  });
}
