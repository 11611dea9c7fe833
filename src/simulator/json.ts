// Douyin's JSON carries 64-bit integers as bare numbers (`id`, `owner_user_id`, check_alive's
// `room_id`) beside `_str` copies. Builders put a BigInt where Douyin writes such a number and
// this serializer writes its exact digits, as Douyin does; JSON.stringify alone cannot.

const MARK = '\u0000bigint:';
const MARKED = /"\\u0000bigint:(\d+)"/g;

export function toJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${MARK}${v.toString()}` : v));
  return text.replace(MARKED, '$1');
}

/** A decimal id as the bare JSON number Douyin writes. */
export function bareId(id: string): bigint {
  return BigInt(id);
}
