// The configuration module's public face: load once at start-up, hand the typed Config on.
export { loadConfig, DEFAULT_PUSH_URL, DEFAULT_REFLOW_URL, DEFAULT_WEB_URL } from './config/load.ts';
export { ConfigError, isConfigError, type ConfigProblem } from './config/errors.ts';
export { describeConfig, type ConfigDescription } from './config/describe.ts';
export { startupWarnings } from './config/warnings.ts';
export type * from './config/types.ts';
