// What the JSON builders need besides the room: the time and where the simulator's own images
// and streams are served (so no URL in a response points outside the simulator).

export interface BuildContext {
  nowMs: number;
  /** The simulator's HTTP base, e.g. http://127.0.0.1:4100 */
  baseUrl: string;
}

export function imageUrls(baseUrl: string, uri: string): string[] {
  return [`${baseUrl}/img/${uri}~tplv-obj.image`, `${baseUrl}/img/${uri}~tplv-resize.image`];
}
