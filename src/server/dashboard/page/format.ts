// How numbers and times read on the page: Chinese units for big counts, as Douyin shows them.
export function compactCount(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value >= 100_000_000) return `${trim(value / 100_000_000)}亿`;
  if (value >= 10_000) return `${trim(value / 10_000)}万`;
  return String(value);
}

function trim(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, '');
}

export function clockTime(iso: string | number): string {
  const date = new Date(iso);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
}

/** A connection state as a short label and the tone its pill is drawn in. */
export function stateTone(state: string | null | undefined): 'live' | 'waiting' | 'ended' | 'trouble' | 'idle' {
  switch (state) {
    case 'LIVE':
      return 'live';
    case 'WAITING_FOR_LIVE':
    case 'RESOLVING':
    case 'CONNECTING':
      return 'waiting';
    case 'ENDED':
      return 'ended';
    case 'UPSTREAM_UNREACHABLE':
    case 'UPSTREAM_DEGRADED':
    case 'STALLED':
    case 'RECONNECTING':
      return 'trouble';
    default:
      return 'idle';
  }
}

const STATE_LABELS: Record<string, string> = {
  LIVE: '直播中 LIVE',
  WAITING_FOR_LIVE: '等待开播 WAITING',
  RESOLVING: '查询中 RESOLVING',
  CONNECTING: '连接中 CONNECTING',
  ENDED: '已结束 ENDED',
  UPSTREAM_UNREACHABLE: '上游不可达 UPSTREAM_UNREACHABLE',
  UPSTREAM_DEGRADED: '上游受限 UPSTREAM_DEGRADED',
  STALLED: '停滞 STALLED',
  RECONNECTING: '重连中 RECONNECTING',
};

export function stateLabel(state: string | null | undefined): string {
  return state ? (STATE_LABELS[state] ?? state) : '未监控 IDLE';
}
