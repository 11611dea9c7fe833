// The dashboard's one HTML page (every /dashboard path gets it; the script picks the view), with
// its styles inline. The font stack reaches the CJK fonts of each platform before the generic
// family, so Chinese never falls back to boxes where a CJK font is installed.
export const BUNDLE_PATH = '/dashboard/assets/dashboard.js';

const FONT_STACK =
  'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif';

const STYLE = `
:root { color-scheme: dark; --bg: #0f1115; --panel: #171a21; --line: #262b36; --text: #e6e8ee; --dim: #8a93a6;
  --live: #ff3b5c; --waiting: #f5b942; --ended: #5b6375; --trouble: #ff8a3d; --ok: #35c486; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.5 ${FONT_STACK}; }
a { color: inherit; }
header.top { display: flex; align-items: center; gap: 16px; padding: 10px 20px; border-bottom: 1px solid var(--line); background: #12151b; position: sticky; top: 0; z-index: 1; }
.brand { font-weight: 700; font-size: 17px; text-decoration: none; }
.brand small { color: var(--dim); font-weight: 400; }
.connection { font-size: 12px; color: var(--dim); }
.connection::before { content: "●"; margin-right: 6px; }
.connection.connected::before { color: var(--ok); }
.connection.connecting::before, .connection.closed::before { color: var(--waiting); }
.connection.refused::before { color: var(--live); }
form.token { margin-left: auto; display: flex; gap: 6px; }
form.token.wanted input { outline: 2px solid var(--live); }
input, button { font: inherit; color: inherit; background: #0c0e12; border: 1px solid var(--line); border-radius: 6px; padding: 5px 9px; }
button { cursor: pointer; background: #232836; }
button:hover { background: #2d3446; }
main { padding: 18px 20px; }
.overview, .room-grid { display: grid; grid-template-columns: minmax(0, 3fr) minmax(320px, 2fr); gap: 18px; align-items: start; }
.side { display: grid; gap: 18px; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.panel h2 { margin: 0 0 10px; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--dim); font-weight: 600; }
.watch-form { display: flex; gap: 8px; flex-wrap: wrap; margin-bottom: 14px; }
.watch-form input[name=target] { flex: 1 1 180px; }
.form-error { color: var(--live); margin: 0; flex-basis: 100%; min-height: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 12px; }
.card { background: #1c2029; border: 1px solid var(--line); border-left: 4px solid var(--ended); border-radius: 8px; padding: 12px 14px; display: grid; gap: 6px; }
.card.live { border-left-color: var(--live); }
.card.waiting { border-left-color: var(--waiting); }
.card.trouble { border-left-color: var(--trouble); }
.card header { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
.card h3 { margin: 0; font-size: 16px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.card .unwatch { padding: 0 7px; background: none; border: none; color: var(--dim); font-size: 16px; }
.card .title { margin: 0; color: var(--dim); min-height: 1.5em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.card .count, #viewers { font-size: 26px; font-weight: 700; font-variant-numeric: tabular-nums; }
.card .unit { color: var(--dim); }
.card footer { display: flex; justify-content: space-between; gap: 8px; font-size: 12px; color: var(--dim); }
.pill { justify-self: start; display: inline-block; font-size: 11px; font-weight: 700; padding: 2px 8px; border-radius: 999px; background: var(--ended); color: #fff; }
.pill.live { background: var(--live); animation: pulse 2s infinite; }
.pill.waiting { background: var(--waiting); color: #1b1300; }
.pill.trouble { background: var(--trouble); color: #1b0d00; }
@keyframes pulse { 50% { opacity: .65; } }
.ticker { list-style: none; margin: 0; padding: 0; max-height: 62vh; overflow: auto; }
.ticker li { display: flex; gap: 8px; padding: 4px 0; border-bottom: 1px solid #1f232c; animation: enter .25s ease-out; }
@keyframes enter { from { background: #2a3142; } }
.ticker time { color: var(--dim); font-variant-numeric: tabular-nums; font-size: 12px; padding-top: 1px; }
.ticker .room { color: var(--waiting); text-decoration: none; white-space: nowrap; }
.ticker b { white-space: nowrap; }
.ticker .gift .text { color: #ffcf5c; }
.ticker .follow .text { color: var(--ok); }
.ticker .gap .text { color: var(--trouble); }
table.hooks { width: 100%; border-collapse: collapse; font-size: 13px; }
.hooks th { text-align: left; color: var(--dim); font-weight: 500; padding: 4px; }
.hooks td { padding: 4px; border-top: 1px solid var(--line); }
.hooks tr.healthy td.delivered { color: var(--ok); }
.hooks tr.retrying td.pending, .hooks tr.dead td.dead { color: var(--live); font-weight: 700; }
.hooks tr.disabled { opacity: .5; }
.empty { color: var(--dim); }
.crumbs a { color: var(--dim); text-decoration: none; }
.room-head { display: flex; align-items: center; gap: 12px; margin: 8px 0 16px; flex-wrap: wrap; }
.room-head h2 { margin: 0; font-size: 20px; }
.reason { color: var(--dim); font-size: 12px; }
#chart { width: 100%; height: 160px; background: #12151b; border-radius: 6px; }
#chart .line { fill: none; stroke: var(--live); stroke-width: 2; vector-effect: non-scaling-stroke; }
.leaderboard { margin: 0; padding-left: 22px; }
.leaderboard li { padding: 3px 0; }
.leaderboard .diamonds { color: #ffcf5c; margin-left: 8px; font-variant-numeric: tabular-nums; }
.leaderboard .gifts { color: var(--dim); }
.gaps { margin: 0; padding-left: 18px; color: var(--trouble); }
@media (max-width: 900px) { .overview, .room-grid { grid-template-columns: 1fr; } }
`;

export function dashboardHtml(): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>抖音直播监控 · Dashboard</title>
<style>${STYLE}</style>
</head>
<body>
<noscript>The dashboard needs JavaScript.</noscript>
<script type="module" src="${BUNDLE_PATH}"></script>
</body>
</html>
`;
}
