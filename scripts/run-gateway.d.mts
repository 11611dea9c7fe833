export const START_FLAGS: readonly string[];
export const START_ENV: Readonly<Record<string, string>>;
/** The node arguments and environment dist/main.js runs with under `npm start`. */
export function gatewayCommand(argv?: readonly string[], execArgv?: readonly string[], env?: NodeJS.ProcessEnv): { args: string[]; env: NodeJS.ProcessEnv };
