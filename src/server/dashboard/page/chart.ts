// The viewer-count chart: points over time drawn as one SVG path, scaled to the box. Pure, so
// the shape is the same in every browser.
export interface ChartPoint {
  at: number;
  value: number;
}

export interface ChartBox {
  width: number;
  height: number;
  padding: number;
}

/** The path's `d`: a line through every point, time left to right, the lowest value at the bottom. */
export function linePath(points: readonly ChartPoint[], box: ChartBox): string {
  if (points.length === 0) return '';
  const times = points.map((point) => point.at);
  const values = points.map((point) => point.value);
  const [minAt, maxAt] = [Math.min(...times), Math.max(...times)];
  const [minValue, maxValue] = [Math.min(...values), Math.max(...values)];
  const innerWidth = box.width - 2 * box.padding;
  const innerHeight = box.height - 2 * box.padding;
  const x = (at: number) => box.padding + (maxAt === minAt ? innerWidth : ((at - minAt) / (maxAt - minAt)) * innerWidth);
  const y = (value: number) => box.padding + (maxValue === minValue ? innerHeight / 2 : (1 - (value - minValue) / (maxValue - minValue)) * innerHeight);
  return points.map((point, index) => `${index === 0 ? 'M' : 'L'}${x(point.at).toFixed(1)},${y(point.value).toFixed(1)}`).join(' ');
}
