// Chats as danmaku players read them: the danmaku XML format (`<d p="time,mode,size,colour,
// sent,pool,user,id">text</d>`) and ASS subtitles scrolling right to left. Times count from the
// broadcast's start (the room_id's high 32 bits), else from the first event exported.
import type { RoomEvent } from '../domain/events.ts';

export interface DanmakuRenderer {
  header(): string;
  /** '' for events that are not chats. */
  line(event: RoomEvent, startMs: number): string;
  footer(): string;
}

const WHITE = 16777215;
const SCROLL = 1;
const FONT_SIZE = 25;

function chatText(event: RoomEvent): string | null {
  if (event.type !== 'ChatEvent' && event.type !== 'EmojiChatEvent') return null;
  return event.content;
}

/** XML 1.0 forbids most control characters even escaped: they are dropped. */
export function xmlText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function seconds(event: RoomEvent, startMs: number): number {
  return Math.max(0, event.createdAt - startMs) / 1000;
}

export const xmlDanmaku: DanmakuRenderer = {
  header: () => '<?xml version="1.0" encoding="UTF-8"?>\n<i>\n',
  line(event, startMs) {
    const text = chatText(event);
    if (text === null) return '';
    const p = [seconds(event, startMs).toFixed(3), SCROLL, FONT_SIZE, WHITE, Math.floor(event.createdAt / 1000), 0, event.user?.id ?? '0', event.id].join(',');
    return `  <d p="${xmlText(p)}">${xmlText(text)}</d>\n`;
  },
  footer: () => '</i>\n',
};

const PLAY_X = 1920;
const LANE_HEIGHT = 40;
const LANES = 20;
/** How long a comment takes to cross the screen, ms. */
const CROSS_MS = 8_000;
/** Chinese first, then what Linux, macOS and Windows players have. */
const ASS_FONT = 'Noto Sans CJK SC';

/** H:MM:SS.cc, as ASS wants it. */
export function assTime(ms: number): string {
  const centis = Math.floor(Math.max(0, ms) / 10);
  const h = Math.floor(centis / 360_000);
  const m = Math.floor((centis % 360_000) / 6_000);
  const s = Math.floor((centis % 6_000) / 100);
  const c = centis % 100;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(c).padStart(2, '0')}`;
}

/** Braces open override blocks and backslashes start escapes: both are swapped for full-width look-alikes. */
export function assText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/\{/g, '｛').replace(/\}/g, '｝').replace(/\\/g, '＼');
}

export function createAssDanmaku(): DanmakuRenderer {
  let lane = 0;
  return {
    header: () =>
      [
        '[Script Info]',
        'ScriptType: v4.00+',
        `PlayResX: ${PLAY_X}`,
        'PlayResY: 1080',
        'WrapStyle: 2',
        '',
        '[V4+ Styles]',
        'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
        `Style: Danmaku,${ASS_FONT},36,&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,1,0,7,0,0,0,1`,
        '',
        '[Events]',
        'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
        '',
      ].join('\n'),
    line(event, startMs) {
      const text = chatText(event);
      if (text === null) return '';
      const at = event.createdAt - startMs;
      const y = (lane % LANES) * LANE_HEIGHT;
      lane += 1;
      const width = text.length * 36;
      const name = assText(event.user?.nickname ?? '').replace(/,/g, '，');
      return `Dialogue: 0,${assTime(at)},${assTime(at + CROSS_MS)},Danmaku,${name},0,0,0,,{\\move(${PLAY_X},${y},${-width},${y})}${assText(text)}\n`;
    },
    footer: () => '',
  };
}
