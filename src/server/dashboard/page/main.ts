// The dashboard's entry: the header (connection state, token field) and the view the path asks
// for. Everything it shows comes from the gateway's own GraphQL API over graphql-ws.
import { connectGateway, type Connection } from './client.ts';
import { h, replaceChildren } from './dom.ts';
import { showOverview } from './overview.ts';
import { showRoom } from './room.ts';

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: '连接中 connecting…',
  connected: '已连接 connected',
  closed: '已断开 disconnected — retrying',
  refused: 'token 被拒绝 · token refused',
};

function start(): void {
  const gateway = connectGateway();
  const status = h('span', { class: 'connection connecting', id: 'connection' }, CONNECTION_TEXT.connecting);
  const token = h('input', { type: 'password', id: 'token', placeholder: 'API token', autocomplete: 'off', value: localStorage.getItem('douyin-live-graphql.token') ?? '' });
  const tokenForm = h('form', { class: 'token', title: 'Needed when the gateway has an API tokens file' }, token, h('button', { type: 'submit' }, '连接 Connect'));
  tokenForm.addEventListener('submit', (event) => {
    event.preventDefault();
    gateway.setToken(token.value);
  });
  gateway.onConnection((state, detail) => {
    status.className = `connection ${state}`;
    status.textContent = CONNECTION_TEXT[state] + (state === 'refused' && detail ? ` (${detail})` : '');
    tokenForm.classList.toggle('wanted', state === 'refused');
  });
  const main = h('main', {});
  replaceChildren(
    document.body,
    h('header', { class: 'top' }, h('a', { class: 'brand', href: '/dashboard' }, '抖音直播监控 ', h('small', {}, 'Dashboard')), status, tokenForm),
    main,
  );
  const room = /^\/dashboard\/rooms\/(\d{17,20})\/?$/.exec(location.pathname);
  if (room) showRoom(main, gateway, room[1] as string);
  else showOverview(main, gateway);
}

start();
