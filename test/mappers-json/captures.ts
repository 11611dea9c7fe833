// Locates the shared recordings and vendor samples (never copied into the repository).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CAPTURES_DIR = fileURLToPath(new URL('../../../shared/captures/douyin/', import.meta.url));
export const SEEDS_DIR = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));
export const haveCaptures = existsSync(CAPTURES_DIR);
export const haveSeeds = existsSync(SEEDS_DIR);

export function captureText(sample: string, file = 'body.json'): string {
  return readFileSync(`${CAPTURES_DIR}${sample}/${file}`, 'utf8');
}

export function captureJson<T = any>(sample: string, file = 'body.json'): T {
  return JSON.parse(captureText(sample, file)) as T;
}

/** The ```json blocks of a seed file, as text (some are truncated and do not parse). */
export function seedJsonBlocks(file: string): string[] {
  const text = readFileSync(`${SEEDS_DIR}${file}`, 'utf8');
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]!);
}
