// The desktop browser the gateway presents itself as. Douyin checks that the User-Agent, the
// fingerprint query parameters and the signature all describe the same browser (protocol
// §2.1, §6.6), so every request and the push URL take their values from this one profile.

export interface BrowserProfile {
  userAgent: string;
  /** browser_name / browser_version as the HTTP query sends them. */
  browserName: string;
  browserVersion: string;
  browserPlatform: string;
  language: string;
  screenWidth: number;
  screenHeight: number;
  timeZone: string;
}

export const DEFAULT_PROFILE: BrowserProfile = Object.freeze({
  userAgent:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36',
  browserName: 'Chrome',
  browserVersion: '134.0.0.0',
  browserPlatform: 'Win32',
  language: 'zh-CN',
  screenWidth: 1920,
  screenHeight: 1080,
  timeZone: 'Asia/Shanghai',
});

/** The push URL's browser_version is the User-Agent without its leading "Mozilla/" (§3.2). */
export function pushBrowserVersion(userAgent: string): string {
  return userAgent.replace(/^Mozilla\//, '');
}

const MS_TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
export const MS_TOKEN_LENGTH = 184;

/** A random msToken: Douyin accepts any 107–184 characters from this alphabet (§2.1). */
export function randomMsToken(random: () => number = Math.random, length = MS_TOKEN_LENGTH): string {
  let token = '';
  for (let i = 0; i < length; i += 1) token += MS_TOKEN_ALPHABET[Math.floor(random() * MS_TOKEN_ALPHABET.length)];
  return token;
}

/** A 19-digit visitor id like the ones Douyin's page assigns (user_unique_id, §1.1). */
export function randomVisitorId(random: () => number = Math.random): string {
  let id = '7';
  for (let i = 0; i < 18; i += 1) id += Math.floor(random() * 10);
  return id;
}
