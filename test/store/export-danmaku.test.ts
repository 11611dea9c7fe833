// `npm run export -- --format xml|ass`: a room's chats as danmaku XML and ASS subtitles, timed
// from the broadcast's start (the room_id's high 32 bits), through the real export path.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { exportRoom } from '../../src/store/export-cli.ts';
import { assText, assTime, xmlText } from '../../src/store/export-danmaku.ts';
import { parseExportArgs } from '../../src/store/export-format.ts';
import { chat, follow, PGLITE_TIMEOUT_MS, useMemoryStore, user } from './fixtures.ts';

const START_S = 1_764_900_000;
const ROOM = ((BigInt(START_S) << 32n) | 4242n).toString();
const START_MS = START_S * 1000;

async function exported(format: 'xml' | 'ass', store: ReturnType<ReturnType<typeof useMemoryStore>>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await exportRoom(store, { roomId: ROOM, format }, out);
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

describe('danmaku exports', () => {
  const store = useMemoryStore();

  it(
    'writes chats as danmaku XML timed from the broadcast start, escaped, other events left out',
    async () => {
      await store().appendEvents([
        chat(ROOM, 'c1', START_MS + 1_500, '主播好 <3 & "hi"', user('111', { nickname: '小明' })),
        follow(ROOM, 'f1', START_MS + 2_000),
        chat(ROOM, 'c2', START_MS + 65_250, '{\\b1}第二条', user('222', { nickname: 'a,b' })),
      ]);
      const xml = await exported('xml', store());
      expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<i>\n')).toBe(true);
      expect(xml.trimEnd().endsWith('</i>')).toBe(true);
      const lines = xml.split('\n').filter((line) => line.includes('<d '));
      expect(lines).toEqual([
        `  <d p="1.500,1,25,16777215,${START_S + 1},0,111,c1">主播好 &lt;3 &amp; &quot;hi&quot;</d>`,
        `  <d p="65.250,1,25,16777215,${START_S + 65},0,222,c2">{\\b1}第二条</d>`,
      ]);

      const ass = await exported('ass', store());
      expect(ass).toContain('[Events]');
      expect(ass).toContain('Noto Sans CJK SC');
      const dialogue = ass.split('\n').filter((line) => line.startsWith('Dialogue:'));
      expect(dialogue).toHaveLength(2);
      expect(dialogue[0]).toMatch(/^Dialogue: 0,0:00:01\.50,0:00:09\.50,Danmaku,小明,0,0,0,,\{\\move\(1920,0,-?\d+,0\)\}主播好 <3 & "hi"$/);
      // An override block in a chat is shown, not obeyed; a comma in a name cannot shift the fields.
      expect(dialogue[1]).toMatch(/^Dialogue: 0,0:01:05\.25,0:01:13\.25,Danmaku,a，b,0,0,0,,\{\\move\(1920,40,-?\d+,40\)\}｛＼b1｝第二条$/);
    },
    PGLITE_TIMEOUT_MS,
  );

  it('escapes and formats by the rules of each format', () => {
    expect(xmlText('a\u0001b<')).toBe('ab&lt;');
    expect(assTime(3_723_456)).toBe('1:02:03.45');
    expect(assText('x{y}\\N\nz')).toBe('x｛y｝＼N z');
    expect(parseExportArgs(['--room', ROOM, '--format', 'ass']).format).toBe('ass');
    expect(() => parseExportArgs(['--room', ROOM, '--format', 'srt'])).toThrow(/jsonl, csv, xml or ass/);
  });
});
