// /dashboard: every watch with its live status and viewer count, the watched rooms' events as
// they arrive, and each webhook's delivery health. Anchors are followed by roomStatus (given
// their web_rid), so a card moves to the anchor's next broadcast by itself.
import type { Gateway } from './client.ts';
import { RequestError } from './client.ts';
import { h, prependCapped, replaceChildren } from './dom.ts';
import { EVENT_FIELDS, EVENT_TYPES, tickerLine, type ShownEvent } from './events.ts';
import { clockTime, compactCount, stateLabel, stateTone } from './format.ts';

interface WatchRow {
  id: string;
  anchor: string | null;
  roomId: string | null;
  label: string | null;
  connectionState: string | null;
}

interface RoomInfo {
  id: string;
  title: string;
  viewerCount: number | null;
  webRid: string | null;
  owner: { nickname: string } | null;
}

interface StatusChange {
  roomId: string;
  anchor: string | null;
  connectionState: string | null;
  at: string;
}

interface Card {
  watch: WatchRow;
  roomId: string | null;
  state: string | null;
  room: RoomInfo | null;
  viewers: number | null;
  element: HTMLElement;
  stopEvents: (() => void) | null;
  eventsRoomId: string | null;
}

const REFRESH_MS = 5_000;
const TICKER_LINES = 60;

const WATCHES = '{ watches { id anchor roomId label connectionState } }';
const ROOMS = 'query($ids: [ID!]!) { liveRooms(ids: $ids) { id title viewerCount webRid owner { nickname } } }';
const STATUS = 'subscription($ids: [ID!]!) { roomStatus(roomIds: $ids) { roomId anchor connectionState at } }';
const EVENTS = `subscription($roomId: ID!, $types: [RoomEventType!]) { roomEvents(roomId: $roomId, types: $types) { ${EVENT_FIELDS} } }`;
const WATCH = 'mutation($input: WatchInput!) { watch(input: $input) { id } }';
const UNWATCH = 'mutation($id: ID!) { unwatch(id: $id) }';
const WEBHOOKS = '{ webhooks { id url events disabledAt } }';
const DELIVERIES = 'query($id: ID!) { webhookDeliveries(webhookId: $id, first: 50) { nodes { status type createdAt lastStatus } } }';

export function showOverview(root: HTMLElement, gateway: Gateway): void {
  const cards = new Map<string, Card>();
  const grid = h('div', { class: 'cards', id: 'watches' });
  const empty = h('p', { class: 'empty' }, '还没有监控的主播或房间。No watches yet: add an anchor (web_rid) or a room_id above.');
  const ticker = h('ol', { class: 'ticker', id: 'events' });
  const hooks = h('tbody', { id: 'webhooks' });
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const target = h('input', { name: 'target', placeholder: 'web_rid 或 room_id', required: true, autocomplete: 'off' });
  const label = h('input', { name: 'label', placeholder: '备注 label (optional)', autocomplete: 'off' });
  const form = h('form', { class: 'watch-form' }, target, label, h('button', { type: 'submit' }, '监控 Watch'), formError);

  replaceChildren(
    root,
    h(
      'div',
      { class: 'overview' },
      h('section', { class: 'panel watched' }, h('h2', {}, '监控中 · Watched'), form, grid, empty),
      h(
        'div',
        { class: 'side' },
        h('section', { class: 'panel' }, h('h2', {}, '实时事件 · Live events'), ticker),
        h(
          'section',
          { class: 'panel' },
          h('h2', {}, 'Webhooks'),
          h('table', { class: 'hooks' }, h('thead', {}, h('tr', {}, h('th', {}, 'target'), h('th', {}, 'events'), h('th', {}, 'delivered'), h('th', {}, 'pending'), h('th', {}, 'dead'), h('th', {}, 'last'))), hooks),
        ),
      ),
    ),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = target.value.trim();
    const input = /^\d{17,20}$/.test(value) ? { roomId: value } : { anchor: value };
    formError.textContent = '';
    gateway
      .request(WATCH, { input: { ...input, ...(label.value.trim() ? { label: label.value.trim() } : {}) } })
      .then(() => {
        target.value = '';
        label.value = '';
        return refreshWatches();
      })
      .catch((error: unknown) => {
        formError.textContent = error instanceof RequestError && error.code === 'FORBIDDEN' ? '需要 write 权限的 token · this needs a write-scope token' : String((error as Error).message);
      });
  });

  let stopStatus: (() => void) | null = null;
  let statusKey = '';

  function statusTargets(): string[] {
    return [...new Set([...cards.values()].map(({ watch }) => watch.anchor ?? watch.roomId).filter((id): id is string => id !== null))].sort();
  }

  /** One roomStatus subscription for every watch, renewed when the set of watches changes. */
  function followStatus(): void {
    const targets = statusTargets();
    const key = targets.join(',');
    if (key === statusKey) return;
    statusKey = key;
    stopStatus?.();
    stopStatus = targets.length === 0 ? null : gateway.subscribe<{ roomStatus: StatusChange }>(STATUS, { ids: targets }, ({ roomStatus }) => onStatus(roomStatus));
  }

  function onStatus(change: StatusChange): void {
    for (const card of cards.values()) {
      const mine = change.anchor !== null ? card.watch.anchor === change.anchor : card.watch.anchor === null && card.roomId === change.roomId;
      if (!mine) continue;
      if (card.roomId !== change.roomId) {
        // The anchor's next broadcast: new room info, new event stream.
        card.roomId = change.roomId;
        card.room = null;
        card.viewers = null;
        void loadRooms([change.roomId]);
      }
      card.state = change.connectionState;
      followEvents(card);
      render(card);
    }
  }

  function followEvents(card: Card): void {
    if (card.roomId === card.eventsRoomId) return;
    card.stopEvents?.();
    card.eventsRoomId = card.roomId;
    card.stopEvents =
      card.roomId === null
        ? null
        : gateway.subscribe<{ roomEvents: ShownEvent }>(EVENTS, { roomId: card.roomId, types: EVENT_TYPES }, ({ roomEvents }) => onEvent(card, roomEvents));
  }

  function onEvent(card: Card, event: ShownEvent): void {
    if (event.__typename === 'ViewerCountEvent' && event.current !== undefined) {
      card.viewers = event.current;
      render(card);
      return;
    }
    const line = tickerLine(event);
    if (line === null) return;
    const who = card.watch.label ?? card.room?.owner?.nickname ?? card.watch.anchor ?? event.roomId;
    prependCapped(
      ticker,
      h(
        'li',
        { class: `line ${line.kind}`, 'data-room-id': event.roomId },
        h('time', {}, clockTime(event.createdAt)),
        h('a', { class: 'room', href: `/dashboard/rooms/${event.roomId}` }, who),
        line.who ? h('b', {}, line.who) : null,
        h('span', { class: 'text' }, line.text),
      ),
      TICKER_LINES,
    );
  }

  async function loadRooms(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      const { liveRooms } = await gateway.request<{ liveRooms: (RoomInfo | null)[] }>(ROOMS, { ids });
      for (const room of liveRooms) {
        if (room === null) continue;
        for (const card of cards.values()) {
          if (card.roomId !== room.id) continue;
          card.room = room;
          card.viewers ??= room.viewerCount;
          render(card);
        }
      }
    } catch {
      // Room info is decoration: the card still shows the status it streams.
    }
  }

  async function refreshWatches(): Promise<void> {
    const { watches } = await gateway.request<{ watches: WatchRow[] }>(WATCHES);
    const seen = new Set<string>();
    const newRooms: string[] = [];
    for (const watch of watches) {
      seen.add(watch.id);
      let card = cards.get(watch.id);
      if (card === undefined) {
        card = { watch, roomId: watch.roomId, state: watch.connectionState, room: null, viewers: null, element: h('article', { class: 'card', 'data-watch-id': watch.id }), stopEvents: null, eventsRoomId: null };
        cards.set(watch.id, card);
        grid.append(card.element);
        if (watch.roomId !== null) newRooms.push(watch.roomId);
      }
      card.watch = watch;
      if (card.roomId === null && watch.roomId !== null) {
        card.roomId = watch.roomId;
        newRooms.push(watch.roomId);
      }
      followEvents(card);
      render(card);
    }
    for (const [id, card] of cards) {
      if (seen.has(id)) continue;
      card.stopEvents?.();
      card.element.remove();
      cards.delete(id);
    }
    empty.hidden = cards.size > 0;
    followStatus();
    await loadRooms(newRooms);
  }

  function render(card: Card): void {
    const { watch, room } = card;
    const name = watch.label ?? room?.owner?.nickname ?? watch.anchor ?? watch.roomId ?? watch.id;
    const tone = stateTone(card.state);
    card.element.dataset['state'] = card.state ?? '';
    card.element.dataset['roomId'] = card.roomId ?? '';
    card.element.className = `card ${tone}`;
    const unwatch = h('button', { class: 'unwatch', title: '取消监控 unwatch' }, '×');
    unwatch.addEventListener('click', () => {
      void gateway.request(UNWATCH, { id: watch.id }).then(() => refreshWatches()).catch(() => undefined);
    });
    replaceChildren(
      card.element,
      h('header', {}, h('h3', { class: 'name' }, name), unwatch),
      h('span', { class: `pill ${tone}` }, stateLabel(card.state)),
      h('p', { class: 'title' }, room?.title ?? ''),
      h('div', { class: 'viewers' }, h('span', { class: 'count' }, compactCount(card.viewers)), h('span', { class: 'unit' }, ' 在线 watching')),
      h(
        'footer',
        {},
        watch.anchor ? h('span', {}, `web_rid ${watch.anchor}`) : null,
        card.roomId ? h('a', { href: `/dashboard/rooms/${card.roomId}` }, `room ${card.roomId} →`) : h('span', {}, '未找到直播间 no room yet'),
      ),
    );
  }

  async function refreshWebhooks(): Promise<void> {
    try {
      const { webhooks } = await gateway.request<{ webhooks: { id: string; url: string; events: string[]; disabledAt: string | null }[] }>(WEBHOOKS);
      const rows = await Promise.all(
        webhooks.map(async (hook) => {
          const { webhookDeliveries } = await gateway.request<{ webhookDeliveries: { nodes: { status: string; type: string; createdAt: string; lastStatus: number | null }[] } }>(DELIVERIES, { id: hook.id });
          const count = (status: string) => webhookDeliveries.nodes.filter((node) => node.status === status).length;
          const last = webhookDeliveries.nodes[0];
          const health = hook.disabledAt !== null ? 'disabled' : count('DEAD') > 0 ? 'dead' : count('PENDING') > 0 ? 'retrying' : 'healthy';
          return h(
            'tr',
            { class: health, 'data-webhook-id': hook.id },
            h('td', { class: 'url', title: hook.url }, new URL(hook.url).host),
            h('td', {}, hook.events.map((kind) => kind.toLowerCase()).join(' ')),
            h('td', { class: 'delivered' }, count('DELIVERED')),
            h('td', { class: 'pending' }, count('PENDING')),
            h('td', { class: 'dead' }, count('DEAD')),
            h('td', {}, last ? `${last.type} ${clockTime(last.createdAt)}${last.lastStatus ? ` · ${last.lastStatus}` : ''}` : '—'),
          );
        }),
      );
      replaceChildren(hooks, ...(rows.length > 0 ? rows : [h('tr', {}, h('td', { colspan: 6, class: 'empty' }, '没有 webhook · none'))]));
    } catch {
      // Shown again at the next refresh.
    }
  }

  const refresh = () => {
    void refreshWatches().catch(() => undefined);
    void refreshWebhooks();
  };
  gateway.onConnection((state) => {
    if (state === 'connected') refresh();
  });
  setInterval(refresh, REFRESH_MS);
}
