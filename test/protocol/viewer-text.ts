// Douyin's rounded viewer texts as numbers: "30.6万" → 306000, "1986" → 1986 (test helper).
export function viewersFromText(text: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(万)?$/.exec(text.trim());
  if (match === null) throw new Error(`not a viewer count text: ${text}`);
  const value = Number(match[1]);
  return Math.round(match[2] === '万' ? value * 10_000 : value);
}
