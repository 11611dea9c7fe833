// DOUYIN_COOKIES and DOUYIN_PROXIES are files with one entry per line (blank lines and lines
// starting with # are skipped), re-read when they change so an operator can rotate cookies or
// proxies without a restart.
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { parseProxyUrl, type ProxySpec } from '../proxy/proxy-url.ts';
import { pairEntries, type PoolEntry } from './upstream-pool.ts';

export interface PoolSources {
  /** The cookies file; without it every pair uses `fallbackCookie` (DOUYIN_COOKIE). */
  cookiesFile: string | null;
  proxiesFile: string | null;
  fallbackCookie: string | null;
  /** HTTPS_PROXY, used by every pair when there is no proxies file. */
  fallbackProxy: string | null;
}

export class PoolListError extends Error {
  readonly code = 'BAD_POOL_LIST';
}

export function parseListText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function readList(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PoolListError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return parseListText(text);
}

function proxiesOf(lines: readonly string[], path: string): ProxySpec[] {
  return lines.map((line, index) => {
    try {
      return parseProxyUrl(line);
    } catch (error) {
      throw new PoolListError(`${path}, entry ${index + 1}: ${(error as Error).message}`);
    }
  });
}

/** The pool's pairs from the files as they are now; throws PoolListError on an unreadable file or a bad proxy. */
export function readPoolEntries(sources: PoolSources): PoolEntry[] {
  const cookies = sources.cookiesFile === null ? [sources.fallbackCookie] : readList(sources.cookiesFile);
  const proxies =
    sources.proxiesFile === null
      ? [sources.fallbackProxy === null ? null : parseProxyUrl(sources.fallbackProxy)]
      : proxiesOf(readList(sources.proxiesFile), sources.proxiesFile);
  if (cookies.length === 0) throw new PoolListError(`${sources.cookiesFile} lists no cookie`);
  if (proxies.length === 0) throw new PoolListError(`${sources.proxiesFile} lists no proxy`);
  return pairEntries(cookies, proxies);
}

/**
 * Calls `onEntries` with the new pairs whenever a file changes, `onError` when a change cannot be
 * read (the pool keeps its pairs). Returns the function that stops watching.
 */
export function watchPoolFiles(
  sources: PoolSources,
  onEntries: (entries: PoolEntry[]) => void,
  onError: (error: Error) => void,
  intervalMs = 1000,
): () => void {
  const files = [sources.cookiesFile, sources.proxiesFile].filter((f): f is string => f !== null);
  const reread = () => {
    try {
      onEntries(readPoolEntries(sources));
    } catch (error) {
      onError(error as Error);
    }
  };
  for (const file of files) watchFile(file, { interval: intervalMs, persistent: false }, reread);
  return () => {
    for (const file of files) unwatchFile(file, reread);
  };
}
