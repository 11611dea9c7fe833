// The vendor's sample responses from ../shared/seeds, read leniently (see loose-json.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLooseJson, repairQuotedLines } from './loose-json.ts';

export const SEEDS_DIR = fileURLToPath(new URL('../../../../shared/seeds/', import.meta.url));
export const seedsAvailable = existsSync(join(SEEDS_DIR, 'vendor-api-liveroom.md'));

export type SampleName =
  | 'info'
  | 'chat-v1'
  | 'promotions'
  | 'status'
  | 'audience'
  | 'feed'
  | 'chat-v2'
  | 'ranklist'
  | 'room-ranklist-post'
  | 'room-ranklist-post-error';

function read(file: string): string {
  return readFileSync(join(SEEDS_DIR, file), 'utf8');
}

function jsonBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```json\s*\n([\s\S]*?)```/g)].map((match) => match[1] as string);
}

/** vendor-api-liveroom.md holds its samples in this order. */
const LIVEROOM_BLOCKS: Partial<Record<SampleName, number>> = { info: 0, 'chat-v1': 1, promotions: 2, status: 3, audience: 4, feed: 5 };

export function seedSample(name: SampleName): Record<string, unknown> {
  const index = LIVEROOM_BLOCKS[name];
  if (index !== undefined) return parseBlock(jsonBlocks(read('vendor-api-liveroom.md'))[index]);
  switch (name) {
    case 'ranklist':
      return parseBlock(jsonBlocks(read('vendor-api-ranklist-top100.md'))[0]);
    case 'chat-v2': {
      const text = read('vendor-api-chat-audience.txt');
      return parseLooseJson(text, text.indexOf('{')) as Record<string, unknown>;
    }
    case 'room-ranklist-post':
    case 'room-ranklist-post-error': {
      const text = read('vendor-api-room-ranklist-post.txt');
      const marker = name === 'room-ranklist-post' ? '成功返回示例' : '错误返回示例';
      const open = text.indexOf('```', text.indexOf(marker)) + 3;
      const close = text.indexOf('```', open);
      return parseLooseJson(text.slice(open, close)) as Record<string, unknown>;
    }
    default:
      throw new Error(`no sample ${name}`);
  }
}

function parseBlock(block: string | undefined): Record<string, unknown> {
  if (block === undefined) throw new Error('sample block missing from the seed file');
  return parseLooseJson(repairQuotedLines(block)) as Record<string, unknown>;
}
