// The JSON envelope of every webcast response: {data, extra: {now}, status_code}.

export const STATUS_OK = 0;
export const STATUS_ROOM_NOT_FOUND = 4001038;
export const STATUS_NOT_LOGGED_IN = 20003;

export function envelope(data: unknown, nowMs: number, statusCode = STATUS_OK): Record<string, unknown> {
  return { data, extra: { now: nowMs }, status_code: statusCode };
}

/** Douyin's answer for a room that does not exist (its prompt has the doubled 无法, verbatim). */
export function roomNotFound(nowMs: number): Record<string, unknown> {
  return envelope({ prompts: '该内容暂时无法无法查看' }, nowMs, STATUS_ROOM_NOT_FOUND);
}

export function notLoggedIn(nowMs: number): Record<string, unknown> {
  return envelope({ message: "User doesn't login", prompts: '请先登录' }, nowMs, STATUS_NOT_LOGGED_IN);
}
