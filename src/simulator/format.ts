// Counts as Douyin displays them: 2, 9812, 1.0万, 30.6万, 1.2亿, and "10万+" for big totals.

export function formatCount(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 100_000_000) return `${(n / 10_000).toFixed(1)}万`;
  return `${(n / 100_000_000).toFixed(1)}亿`;
}

export function formatCountCapped(n: number): string {
  return n < 100_000 ? formatCount(n) : '10万+';
}
